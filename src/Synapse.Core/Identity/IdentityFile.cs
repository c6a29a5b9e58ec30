using System.Buffers;
using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using Synapse.Crypto;

namespace Synapse.Identity;

/// <summary>
/// Reads and writes identity key files (format version 1, see <c>docs/identity.md</c>). Plain:
/// <code>
/// { "type": "synapse-agent-identity", "version": 1, "id": "did:key:z6Mk…", "seed": "&lt;base64, 32 bytes&gt;" }
/// </code>
/// Encrypted (with a passphrase):
/// <code>
/// { "type": "synapse-agent-identity", "version": 1, "id": "did:key:z6Mk…",
///   "kdf": "pbkdf2-sha256", "iterations": 600000, "salt": "&lt;base64, 16 bytes&gt;",
///   "cipher": "chacha20-poly1305", "nonce": "&lt;base64, 12 bytes&gt;", "ciphertext": "&lt;base64, 32 + 16 bytes&gt;" }
/// </code>
/// key = PBKDF2-HMAC-SHA256(UTF-8(passphrase), salt, iterations, 32 bytes);
/// ciphertext ‖ tag = ChaCha20-Poly1305(key, nonce, seed, associated data = UTF-8(id)).
/// Every buffer that holds the seed or the derived key is pinned and zeroed after use.
/// </summary>
internal static class IdentityFile
{
    /// <summary>The value of the <c>type</c> field.</summary>
    public const string FileType = "synapse-agent-identity";

    /// <summary>The format version written and read.</summary>
    public const int Version = 1;

    /// <summary>The key derivation named in encrypted files.</summary>
    public const string KdfName = "pbkdf2-sha256";

    /// <summary>The cipher named in encrypted files.</summary>
    public const string CipherName = "chacha20-poly1305";

    /// <summary>Iteration counts accepted on load: at least a sixth of the default, at most about 17× it.</summary>
    public const int MinIterations = 100_000;

    /// <summary>The upper bound, so a crafted file cannot make <see cref="AgentIdentity.Load"/> spin for minutes.</summary>
    public const int MaxIterations = 10_000_000;

    public const int SaltSize = 16;
    public const int NonceSize = 12;
    public const int TagSize = 16;
    private const int KeySize = 32;
    private const int WriteBufferSize = 8 * 1024;

    private static readonly string[] EncryptionFields = ["kdf", "iterations", "salt", "cipher", "nonce", "ciphertext"];

    /// <summary>Writes <paramref name="identity"/> to <paramref name="path"/> (a full path), atomically, owner-only.</summary>
    public static void Save(AgentIdentity identity, string path, string? passphrase, bool overwrite)
    {
        if (!overwrite && File.Exists(path))
        {
            throw new IOException($"'{path}' already exists; pass overwrite: true to replace it.");
        }

        byte[] json = GC.AllocateArray<byte>(WriteBufferSize, pinned: true);
        try
        {
            int length = Write(identity, passphrase, json);
            WriteAtomically(path, json.AsSpan(0, length), overwrite);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(json);
        }
    }

    /// <summary>
    /// Reads the key file at <paramref name="path"/> into <paramref name="seed"/> and returns the id the file
    /// claims (the caller checks it against the key).
    /// </summary>
    public static AgentId Load(string path, string? passphrase, Span<byte> seed)
    {
        byte[] file = GC.AllocateArray<byte>(AgentIdentity.MaxFileSize + 1, pinned: true);
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            int length = ReadLimited(path, handle, file);
            AgentId id = Parse(path, file.AsMemory(0, length), passphrase, seed);
            CheckOwnerOnly(path, handle);
            return id;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(file);
        }
    }

    private static int Write(AgentIdentity identity, string? passphrase, byte[] destination)
    {
        Span<byte> seed = stackalloc byte[Ed25519.SeedSize];
        try
        {
            identity.ExportSeed(seed);
            return Write(identity.Id, seed, passphrase, destination);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    private static int Write(AgentId identity, ReadOnlySpan<byte> seed, string? passphrase, byte[] destination)
    {
        var output = new FixedBufferWriter(destination);
        using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true }))
        {
            string id = identity.ToString();
            writer.WriteStartObject();
            writer.WriteString("type", FileType);
            writer.WriteNumber("version", Version);
            writer.WriteString("id", id);
            if (passphrase is null)
            {
                writer.WriteBase64String("seed", seed);
            }
            else
            {
                Span<byte> salt = stackalloc byte[SaltSize];
                Span<byte> nonce = stackalloc byte[NonceSize];
                Span<byte> ciphertext = stackalloc byte[Ed25519.SeedSize + TagSize];
                RandomNumberGenerator.Fill(salt);
                RandomNumberGenerator.Fill(nonce);
                Span<byte> key = stackalloc byte[KeySize];
                try
                {
                    DeriveKey(passphrase, salt, AgentIdentity.Pbkdf2Iterations, key);
                    using var aead = new ChaCha20Poly1305(key);
                    aead.Encrypt(nonce, seed, ciphertext[..Ed25519.SeedSize], ciphertext[Ed25519.SeedSize..], Encoding.UTF8.GetBytes(id));
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(key);
                }

                writer.WriteString("kdf", KdfName);
                writer.WriteNumber("iterations", AgentIdentity.Pbkdf2Iterations);
                writer.WriteBase64String("salt", salt);
                writer.WriteString("cipher", CipherName);
                writer.WriteBase64String("nonce", nonce);
                writer.WriteBase64String("ciphertext", ciphertext);
            }

            writer.WriteEndObject();
        }

        output.Write("\n"u8);
        return output.WrittenCount;
    }

    private static void WriteAtomically(string path, ReadOnlySpan<byte> content, bool overwrite)
    {
        string directory = Path.GetDirectoryName(path) ?? throw new IOException($"'{path}' has no directory.");
        string temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 0, // no managed buffer: the seed is written straight from our pinned array
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite);
        }
        catch
        {
            try
            {
                File.Delete(temporary);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }

            throw;
        }
    }

    private static void CheckOwnerOnly(string path, SafeFileHandle handle)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Windows has ACLs, not modes; the file inherits its directory's rules
        }

        const UnixFileMode OthersMayAccess = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        UnixFileMode mode = File.GetUnixFileMode(handle);
        if ((mode & OthersMayAccess) != 0)
        {
            throw new IdentityFileException(path, IdentityFileError.InsecurePermissions,
                $"the key file is accessible to other users (mode {Convert.ToString((int)mode, 8)}); make it owner-only with 'chmod 600'");
        }
    }

    /// <summary>Reads the whole file into <paramref name="buffer"/>, refusing anything over the size limit.</summary>
    private static int ReadLimited(string path, SafeFileHandle handle, byte[] buffer)
    {
        long declared = RandomAccess.GetLength(handle);
        if (declared > AgentIdentity.MaxFileSize)
        {
            throw TooLarge(path, declared);
        }

        // Read to the end (a file can grow, and special files report no length), at most one byte past the limit.
        int total = 0;
        while (total < buffer.Length)
        {
            int read = RandomAccess.Read(handle, buffer.AsSpan(total), total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total > AgentIdentity.MaxFileSize ? throw TooLarge(path, total) : total;
    }

    private static IdentityFileException TooLarge(string path, long size) =>
        new(path, IdentityFileError.TooLarge, $"the file is too large ({(size > AgentIdentity.MaxFileSize ? size.ToString(System.Globalization.CultureInfo.InvariantCulture) : "over " + AgentIdentity.MaxFileSize)} bytes; a key file is at most {AgentIdentity.MaxFileSize})");

    private static AgentId Parse(string path, ReadOnlyMemory<byte> content, string? passphrase, Span<byte> seed)
    {
        if (content.IsEmpty)
        {
            throw Corrupted(path, "the file is empty");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content, new JsonDocumentOptions { MaxDepth = 4 });
        }
        catch (JsonException e)
        {
            // The exception text can quote file content; report only the position.
            throw Corrupted(path, $"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})");
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Corrupted(path, "the document is not a JSON object");
            }

            var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            string? unexpected = null;
            foreach (JsonProperty property in root.EnumerateObject())
            {
                if (!fields.TryAdd(property.Name, property.Value))
                {
                    throw Corrupted(path, $"the field '{Shorten(property.Name)}' appears twice");
                }

                if (unexpected is null && property.Name is not ("type" or "version" or "id" or "seed") && Array.IndexOf(EncryptionFields, property.Name) < 0)
                {
                    unexpected = property.Name;
                }
            }

            // Type and version first, so a newer format reports "unsupported" rather than "unexpected field".
            if (!fields.TryGetValue("type", out JsonElement type) || type.ValueKind != JsonValueKind.String || !type.ValueEquals(FileType))
            {
                throw Corrupted(path, $"not a Synapse identity file (the 'type' field must be \"{FileType}\")");
            }

            if (!fields.TryGetValue("version", out JsonElement versionElement))
            {
                throw Corrupted(path, "the 'version' field is missing");
            }

            if (versionElement.ValueKind != JsonValueKind.Number || !versionElement.TryGetInt32(out int version))
            {
                throw Corrupted(path, "the 'version' field is not an integer");
            }

            if (version != Version)
            {
                throw new IdentityFileException(path, IdentityFileError.Unsupported, $"format version {version} is not supported (this version of Synapse reads version {Version})");
            }

            if (unexpected is not null)
            {
                throw Corrupted(path, $"unexpected field '{Shorten(unexpected)}'");
            }

            if (!fields.TryGetValue("id", out JsonElement idElement) || idElement.ValueKind != JsonValueKind.String)
            {
                throw Corrupted(path, "the 'id' field is missing or not a string");
            }

            string idText = idElement.GetString()!;
            if (!AgentId.TryParse(idText, out AgentId id, out string? idError))
            {
                throw Corrupted(path, $"the 'id' field is not a valid agent id ({idError})");
            }

            bool encrypted = EncryptionFields.Any(fields.ContainsKey);
            if (fields.TryGetValue("seed", out JsonElement seedElement))
            {
                if (encrypted)
                {
                    throw Corrupted(path, "the file has both a plain 'seed' and encryption fields");
                }

                ReadSeed(path, seedElement, seed);
                if (passphrase is not null)
                {
                    throw new IdentityFileException(path, IdentityFileError.NotEncrypted, "a passphrase was given but the key in the file is not encrypted");
                }

                return id;
            }

            if (!encrypted)
            {
                throw Corrupted(path, "the file holds no key (neither 'seed' nor an encrypted key)");
            }

            Decrypt(path, fields, idText, passphrase, seed);
            return id;
        }
    }

    private static void ReadSeed(string path, JsonElement element, Span<byte> seed)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            throw Corrupted(path, "the 'seed' field is not a string");
        }

        // Decode from the document's own bytes (our pinned file buffer) so no unpinned copy of the seed is made.
        // Our writer never escapes base64, so an escape sequence means the field was altered.
        ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8Value(element);
        if (raw.Length >= 2 && raw[0] == (byte)'"')
        {
            raw = raw[1..^1];
        }

        OperationStatus status = Base64.DecodeFromUtf8(raw, seed, out int consumed, out int written);
        if (status != OperationStatus.Done || consumed != raw.Length || written != Ed25519.SeedSize)
        {
            CryptographicOperations.ZeroMemory(seed);
            throw Corrupted(path, $"the 'seed' field is not {Ed25519.SeedSize} bytes of base64");
        }
    }

    private static void Decrypt(string path, Dictionary<string, JsonElement> fields, string id, string? passphrase, Span<byte> seed)
    {
        foreach (string name in EncryptionFields)
        {
            if (!fields.ContainsKey(name))
            {
                throw Corrupted(path, $"the encrypted key has no '{name}' field");
            }
        }

        JsonElement kdf = fields["kdf"];
        if (kdf.ValueKind != JsonValueKind.String)
        {
            throw Corrupted(path, "the 'kdf' field is not a string");
        }

        if (!kdf.ValueEquals(KdfName))
        {
            throw new IdentityFileException(path, IdentityFileError.Unsupported, $"unsupported key derivation '{Shorten(kdf.GetString()!)}' (supported: {KdfName})");
        }

        JsonElement cipher = fields["cipher"];
        if (cipher.ValueKind != JsonValueKind.String)
        {
            throw Corrupted(path, "the 'cipher' field is not a string");
        }

        if (!cipher.ValueEquals(CipherName))
        {
            throw new IdentityFileException(path, IdentityFileError.Unsupported, $"unsupported cipher '{Shorten(cipher.GetString()!)}' (supported: {CipherName})");
        }

        JsonElement iterationsElement = fields["iterations"];
        if (iterationsElement.ValueKind != JsonValueKind.Number || !iterationsElement.TryGetInt32(out int iterations))
        {
            throw Corrupted(path, "the 'iterations' field is not an integer");
        }

        if (iterations is < MinIterations or > MaxIterations)
        {
            throw new IdentityFileException(path, IdentityFileError.Unsupported, $"{iterations} PBKDF2 iterations is outside the accepted range {MinIterations}..{MaxIterations}");
        }

        byte[] salt = ReadBytes(path, fields, "salt", SaltSize);
        byte[] nonce = ReadBytes(path, fields, "nonce", NonceSize);
        byte[] ciphertext = ReadBytes(path, fields, "ciphertext", Ed25519.SeedSize + TagSize);

        if (passphrase is null)
        {
            throw new IdentityFileException(path, IdentityFileError.PassphraseRequired, "the key is encrypted; a passphrase is required");
        }

        Span<byte> key = stackalloc byte[KeySize];
        try
        {
            DeriveKey(passphrase, salt, iterations, key);
            using var aead = new ChaCha20Poly1305(key);
            aead.Decrypt(nonce, ciphertext.AsSpan(0, Ed25519.SeedSize), ciphertext.AsSpan(Ed25519.SeedSize), seed, Encoding.UTF8.GetBytes(id));
        }
        catch (AuthenticationTagMismatchException e)
        {
            CryptographicOperations.ZeroMemory(seed);
            throw new IdentityFileException(path, IdentityFileError.WrongPassphrase, "wrong passphrase (or the encrypted key, or the id it is bound to, was altered)", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static byte[] ReadBytes(string path, Dictionary<string, JsonElement> fields, string name, int size)
    {
        JsonElement element = fields[name];
        return element.ValueKind == JsonValueKind.String && element.TryGetBytesFromBase64(out byte[]? bytes) && bytes.Length == size
            ? bytes
            : throw Corrupted(path, $"the '{name}' field is not {size} bytes of base64");
    }

    /// <summary>PBKDF2-HMAC-SHA256 of the passphrase's UTF-8 bytes; the bytes are pinned and zeroed after.</summary>
    private static void DeriveKey(string passphrase, ReadOnlySpan<byte> salt, int iterations, Span<byte> key)
    {
        byte[] password = GC.AllocateArray<byte>(Encoding.UTF8.GetMaxByteCount(passphrase.Length), pinned: true);
        try
        {
            int length = Encoding.UTF8.GetBytes(passphrase, password);
            Rfc2898DeriveBytes.Pbkdf2(password.AsSpan(0, length), salt, key, iterations, HashAlgorithmName.SHA256);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(password);
        }
    }

    private static IdentityFileException Corrupted(string path, string reason) =>
        new(path, IdentityFileError.Corrupted, $"the file is corrupted: {reason}");

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");

    /// <summary>An <see cref="IBufferWriter{T}"/> over one fixed (pinned) array; it never reallocates, so no copies are left behind.</summary>
    private sealed class FixedBufferWriter(byte[] buffer) : IBufferWriter<byte>
    {
        public int WrittenCount { get; private set; }

        public void Advance(int count) => WrittenCount += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => Check(sizeHint).AsMemory(WrittenCount);

        public Span<byte> GetSpan(int sizeHint = 0) => Check(sizeHint).AsSpan(WrittenCount);

        public void Write(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(GetSpan(bytes.Length));
            Advance(bytes.Length);
        }

        private byte[] Check(int sizeHint) =>
            buffer.Length - WrittenCount >= Math.Max(sizeHint, 1) ? buffer : throw new InvalidOperationException("The key file buffer is full.");
    }
}
