using System.Text;
using System.Text.Json;
using Synapse.Identity;

namespace Synapse.Tests.Identity;

public sealed class IdentityFileTests : IDisposable
{
    private const string Passphrase = "correct horse battery staple";
    private readonly string _directory = Directory.CreateTempSubdirectory("synapse-identity-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    [Fact]
    public void Plain_files_round_trip()
    {
        using AgentIdentity identity = AgentIdentity.Generate();
        string path = PathOf("agent.key");
        identity.Save(path);

        using AgentIdentity loaded = AgentIdentity.Load(path);
        Assert.Equal(identity.Id, loaded.Id);
        Assert.Equal(identity.Sign("m"u8), loaded.Sign("m"u8));

        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(path));
        JsonElement root = json.RootElement;
        Assert.Equal("synapse-agent-identity", root.GetProperty("type").GetString());
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        Assert.Equal(identity.Id.ToString(), root.GetProperty("id").GetString());
        Assert.Equal(32, root.GetProperty("seed").GetBytesFromBase64().Length);
        Assert.Equal(["type", "version", "id", "seed"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal([path], Directory.GetFiles(_directory)); // no temporary file left behind
    }

    [Fact]
    public void Encrypted_files_round_trip_and_hold_no_plain_seed()
    {
        using AgentIdentity identity = AgentIdentity.Generate();
        string path = PathOf("agent.key");
        identity.Save(path, Passphrase);

        using AgentIdentity loaded = AgentIdentity.Load(path, Passphrase);
        Assert.Equal(identity.Id, loaded.Id);
        Assert.Equal(identity.Sign("m"u8), loaded.Sign("m"u8));

        string text = File.ReadAllText(path);
        using JsonDocument json = JsonDocument.Parse(text);
        JsonElement root = json.RootElement;
        Assert.Equal(["type", "version", "id", "kdf", "iterations", "salt", "cipher", "nonce", "ciphertext"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("pbkdf2-sha256", root.GetProperty("kdf").GetString());
        Assert.Equal(600_000, root.GetProperty("iterations").GetInt32());
        Assert.Equal(16, root.GetProperty("salt").GetBytesFromBase64().Length);
        Assert.Equal("chacha20-poly1305", root.GetProperty("cipher").GetString());
        Assert.Equal(12, root.GetProperty("nonce").GetBytesFromBase64().Length);
        Assert.Equal(48, root.GetProperty("ciphertext").GetBytesFromBase64().Length);
        Assert.DoesNotContain(Convert.ToBase64String(identity.Seed), text, StringComparison.Ordinal);
        Assert.DoesNotContain(Passphrase, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_files_are_owner_only()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using AgentIdentity identity = AgentIdentity.Generate();
        string path = PathOf("agent.key");
        identity.Save(path);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));

        // Replacing a file that was world-readable leaves an owner-only file.
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
        identity.Save(path, Passphrase, overwrite: true);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Theory]
    [InlineData(0b110_100_000)]
    [InlineData(0b110_000_100)]
    [InlineData(0b110_010_000)]
    [InlineData(0b111_000_001)]
    public void Key_files_other_users_may_access_are_refused_until_made_owner_only(int mode)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using AgentIdentity identity = AgentIdentity.Generate();
        string path = PathOf("exposed.key");
        identity.Save(path);
        File.SetUnixFileMode(path, (UnixFileMode)mode);
        IdentityFileException e = Assert.Throws<IdentityFileException>(() => AgentIdentity.Load(path));
        Assert.Equal(IdentityFileError.InsecurePermissions, e.Error);
        Assert.Contains("chmod 600", e.Message);
        Assert.Contains(Convert.ToString(mode, 8), e.Message);

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using AgentIdentity loaded = AgentIdentity.Load(path);
        Assert.Equal(identity.Id, loaded.Id);
    }

    [Fact]
    public void Existing_files_are_not_overwritten_unless_asked()
    {
        using AgentIdentity first = AgentIdentity.Generate();
        using AgentIdentity second = AgentIdentity.Generate();
        string path = PathOf("agent.key");
        first.Save(path);

        IOException e = Assert.Throws<IOException>(() => second.Save(path));
        Assert.Contains("already exists", e.Message, StringComparison.Ordinal);
        Assert.Contains("overwrite: true", e.Message, StringComparison.Ordinal);
        using (AgentIdentity loaded = AgentIdentity.Load(path))
        {
            Assert.Equal(first.Id, loaded.Id);
        }

        second.Save(path, overwrite: true);
        using (AgentIdentity loaded = AgentIdentity.Load(path))
        {
            Assert.Equal(second.Id, loaded.Id);
        }

        Assert.Single(Directory.GetFiles(_directory));
    }

    [Fact]
    public void Wrong_passphrase_is_a_clear_error()
    {
        string path = SaveEncrypted(out _);
        IdentityFileException e = Assert.Throws<IdentityFileException>(() => AgentIdentity.Load(path, "Tr0ub4dor&3"));
        Assert.Equal(IdentityFileError.WrongPassphrase, e.Error);
        Assert.Contains("wrong passphrase", e.Message, StringComparison.Ordinal);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Tr0ub4dor", e.ToString(), StringComparison.Ordinal);
        Assert.Equal(path, e.Path);
    }

    [Fact]
    public void A_missing_passphrase_is_a_clear_error()
    {
        string path = SaveEncrypted(out _);
        IdentityFileException e = Assert.Throws<IdentityFileException>(() => AgentIdentity.Load(path));
        Assert.Equal(IdentityFileError.PassphraseRequired, e.Error);
        Assert.Contains("passphrase is required", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_passphrase_for_a_plain_file_is_refused()
    {
        using AgentIdentity identity = AgentIdentity.Generate();
        string path = PathOf("plain.key");
        identity.Save(path);
        IdentityFileException e = Assert.Throws<IdentityFileException>(() => AgentIdentity.Load(path, Passphrase));
        Assert.Equal(IdentityFileError.NotEncrypted, e.Error);
        Assert.Contains("not encrypted", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_passphrases_and_paths_are_argument_errors()
    {
        using AgentIdentity identity = AgentIdentity.Generate();
        Assert.Throws<ArgumentException>("passphrase", () => identity.Save(PathOf("a.key"), string.Empty));
        Assert.Throws<ArgumentException>("path", () => identity.Save(string.Empty));
        Assert.Throws<ArgumentNullException>("path", () => identity.Save(null!));
        Assert.Throws<ArgumentException>("path", () => AgentIdentity.Load(string.Empty));
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public void A_missing_file_is_a_file_not_found_error()
    {
        Assert.Throws<FileNotFoundException>(() => AgentIdentity.Load(PathOf("missing.key")));
    }

    [Fact]
    public void Every_truncation_is_reported_as_corrupted()
    {
        using AgentIdentity identity = AgentIdentity.Generate();
        string path = PathOf("plain.key");
        identity.Save(path);
        byte[] plain = File.ReadAllBytes(path);
        string encryptedPath = SaveEncrypted(out _);
        byte[] encrypted = File.ReadAllBytes(encryptedPath);

        foreach (byte[] content in new[] { plain, encrypted })
        {
            // Everything before the closing brace (the final newline alone is optional).
            int end = Array.LastIndexOf(content, (byte)'}');
            for (int length = 0; length < end; length++)
            {
                string truncated = PathOf("truncated.key");
                WriteOwnerOnly(truncated, content.AsSpan(0, length).ToArray());
                IdentityFileException e = Assert.Throws<IdentityFileException>(() => AgentIdentity.Load(truncated, content == plain ? null : Passphrase));
                Assert.Equal(IdentityFileError.Corrupted, e.Error);
                Assert.Contains("corrupted", e.Message, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Every_bit_flip_in_a_plain_file_is_detected_or_harmless()
    {
        using AgentIdentity identity = AgentIdentity.Generate();
        string path = PathOf("plain.key");
        identity.Save(path);
        byte[] content = File.ReadAllBytes(path);
        string flipped = PathOf("flipped.key");
        int detected = 0;
        for (int i = 0; i < content.Length; i++)
        {
            foreach (int bit in new[] { 0, 5 })
            {
                byte[] copy = (byte[])content.Clone();
                copy[i] ^= (byte)(1 << bit);
                WriteOwnerOnly(flipped, copy);
                try
                {
                    // A flip in insignificant whitespace (e.g. space ↔ tab) still loads the same identity.
                    using AgentIdentity loaded = AgentIdentity.Load(flipped);
                    Assert.Equal(identity.Id, loaded.Id);
                }
                catch (IdentityFileException e)
                {
                    Assert.True(e.Error is IdentityFileError.Corrupted or IdentityFileError.Unsupported, e.Message);
                    detected++;
                }
            }
        }

        Assert.True(detected > content.Length);
    }

    [Fact]
    public void A_flipped_byte_in_the_ciphertext_fails_authentication()
    {
        string path = SaveEncrypted(out _);
        JsonElement root = Root(path);
        byte[] ciphertext = root.GetProperty("ciphertext").GetBytesFromBase64();
        ciphertext[5] ^= 0x01;
        Rewrite(path, root, "ciphertext", Convert.ToBase64String(ciphertext));
        IdentityFileException e = Assert.Throws<IdentityFileException>(() => AgentIdentity.Load(path, Passphrase));
        Assert.Equal(IdentityFileError.WrongPassphrase, e.Error);
        Assert.Contains("altered", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_different_id_in_a_plain_file_is_corrupted()
    {
        using AgentIdentity identity = AgentIdentity.Generate();
        using AgentIdentity other = AgentIdentity.Generate();
        string path = PathOf("plain.key");
        identity.Save(path);
        Rewrite(path, Root(path), "id", other.Id.ToString());
        IdentityFileException e = Assert.Throws<IdentityFileException>(() => AgentIdentity.Load(path));
        Assert.Equal(IdentityFileError.Corrupted, e.Error);
        Assert.Contains("the 'id' does not match the key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_different_id_in_an_encrypted_file_fails_authentication()
    {
        // The id is the associated data: changing it is detected as tampering before any key is released.
        string path = SaveEncrypted(out _);
        using AgentIdentity other = AgentIdentity.Generate();
        Rewrite(path, Root(path), "id", other.Id.ToString());
        IdentityFileException e = Assert.Throws<IdentityFileException>(() => AgentIdentity.Load(path, Passphrase));
        Assert.Equal(IdentityFileError.WrongPassphrase, e.Error);
    }

    [Theory]
    [InlineData("", "the file is empty")]
    [InlineData("# not json", "not valid JSON (line 1, byte 1)")]
    [InlineData("{\"type\": \"synapse-agent-identity\",\n \"version\": 1,\n \"id\": ", "not valid JSON (line 3")]
    [InlineData("[1, 2]", "not a JSON object")]
    [InlineData("{}", "not a Synapse identity file")]
    [InlineData("{\"type\": \"ssh-key\", \"version\": 1}", "not a Synapse identity file")]
    [InlineData("{\"type\": \"synapse-agent-identity\"}", "the 'version' field is missing")]
    [InlineData("{\"type\": \"synapse-agent-identity\", \"version\": \"1\"}", "the 'version' field is not an integer")]
    [InlineData("{\"type\": \"synapse-agent-identity\", \"version\": 1.5}", "the 'version' field is not an integer")]
    [InlineData("{\"type\": \"synapse-agent-identity\", \"version\": 1, \"version\": 1}", "the field 'version' appears twice")]
    [InlineData("{\"type\": \"synapse-agent-identity\", \"version\": 1, \"id\": \"did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp\", \"comment\": 1}", "unexpected field 'comment'")]
    [InlineData("{\"type\": \"synapse-agent-identity\", \"version\": 1}", "the 'id' field is missing or not a string")]
    [InlineData("{\"type\": \"synapse-agent-identity\", \"version\": 1, \"id\": \"did:key:zBad0\"}", "the 'id' field is not a valid agent id (invalid base58 character '0' at index 12")]
    [InlineData("{\"type\": \"synapse-agent-identity\", \"version\": 1, \"id\": \"did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp\"}", "the file holds no key")]
    [InlineData("{\"type\": \"synapse-agent-identity\", \"version\": 1, \"id\": \"did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp\", \"seed\": 5}", "the 'seed' field is not a string")]
    [InlineData("{\"type\": \"synapse-agent-identity\", \"version\": 1, \"id\": \"did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp\", \"seed\": \"AAAA\"}", "the 'seed' field is not 32 bytes of base64")]
    [InlineData("{\"type\": \"synapse-agent-identity\", \"version\": 1, \"id\": \"did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp\", \"seed\": \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA*\"}", "the 'seed' field is not 32 bytes of base64")]
    [InlineData("{\"type\": \"synapse-agent-identity\", \"version\": 1, \"id\": \"did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp\", \"seed\": \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}", "the 'seed' field is not 32 bytes of base64")]
    [InlineData("{\"type\": \"synapse-agent-identity\", \"version\": 1, \"id\": \"did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp\", \"seed\": \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\", \"salt\": \"\"}", "both a plain 'seed' and encryption fields")]
    [InlineData("{\"type\": \"synapse-agent-identity\", \"version\": 1, \"id\": \"did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp\", \"kdf\": \"pbkdf2-sha256\"}", "the encrypted key has no 'iterations' field")]
    public void Malformed_files_are_reported_as_corrupted(string content, string reason)
    {
        string path = PathOf("bad.key");
        WriteOwnerOnly(path, content);
        IdentityFileException e = Assert.Throws<IdentityFileException>(() => AgentIdentity.Load(path));
        Assert.Equal(IdentityFileError.Corrupted, e.Error);
        Assert.True(e.Message.Contains(reason, StringComparison.Ordinal), e.Message);
        Assert.StartsWith($"Cannot load the agent identity from '{path}': the file is corrupted: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_all_zero_seed_file_with_its_did_key_loads()
    {
        // Hand-written version 1 file: the did:key test vector for the all-zero seed.
        string path = PathOf("zero.key");
        WriteOwnerOnly(path, """
            {
              "type": "synapse-agent-identity",
              "version": 1,
              "id": "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",
              "seed": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
            }
            """);
        using AgentIdentity identity = AgentIdentity.Load(path);
        Assert.Equal("did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp", identity.Id.ToString());
    }

    [Fact]
    public void Another_version_is_unsupported()
    {
        string path = PathOf("v2.key");
        WriteOwnerOnly(path, "{\"type\": \"synapse-agent-identity\", \"version\": 2, \"id\": \"x\", \"argon2\": {}}");
        IdentityFileException e = Assert.Throws<IdentityFileException>(() => AgentIdentity.Load(path));
        Assert.Equal(IdentityFileError.Unsupported, e.Error);
        Assert.Contains("format version 2 is not supported (this version of Synapse reads version 1)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kdf", "\"argon2id\"", "unsupported key derivation 'argon2id'")]
    [InlineData("cipher", "\"aes-256-gcm\"", "unsupported cipher 'aes-256-gcm'")]
    [InlineData("iterations", "1000", "1000 PBKDF2 iterations is outside the accepted range 100000..10000000")]
    [InlineData("iterations", "2000000000", "outside the accepted range")]
    public void Unsupported_encryption_parameters_are_named(string field, string json, string reason)
    {
        string path = SaveEncrypted(out _);
        RewriteRaw(path, Root(path), field, json);
        IdentityFileException e = Assert.Throws<IdentityFileException>(() => AgentIdentity.Load(path, Passphrase));
        Assert.Equal(IdentityFileError.Unsupported, e.Error);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("salt", "\"AAAA\"", "the 'salt' field is not 16 bytes of base64")]
    [InlineData("nonce", "\"AAAAAAAAAAAAAAAAAAAA\"", "the 'nonce' field is not 12 bytes of base64")]
    [InlineData("ciphertext", "\"AAAA\"", "the 'ciphertext' field is not 48 bytes of base64")]
    [InlineData("ciphertext", "42", "the 'ciphertext' field is not 48 bytes of base64")]
    [InlineData("iterations", "\"600000\"", "the 'iterations' field is not an integer")]
    [InlineData("kdf", "null", "the 'kdf' field is not a string")]
    public void Malformed_encryption_fields_are_corrupted(string field, string json, string reason)
    {
        string path = SaveEncrypted(out _);
        RewriteRaw(path, Root(path), field, json);
        IdentityFileException e = Assert.Throws<IdentityFileException>(() => AgentIdentity.Load(path, Passphrase));
        Assert.Equal(IdentityFileError.Corrupted, e.Error);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Files_over_64_KiB_are_refused_before_parsing()
    {
        string path = PathOf("huge.key");
        WriteOwnerOnly(path, "{\"pad\": \"" + new string('a', AgentIdentity.MaxFileSize) + "\"}");
        IdentityFileException e = Assert.Throws<IdentityFileException>(() => AgentIdentity.Load(path));
        Assert.Equal(IdentityFileError.TooLarge, e.Error);
        Assert.Contains("too large", e.Message, StringComparison.Ordinal);
        Assert.Contains("65536", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_ascii_passphrases_work()
    {
        using AgentIdentity identity = AgentIdentity.Generate();
        string path = PathOf("unicode.key");
        identity.Save(path, "pässwörd 🔑 密码");
        using AgentIdentity loaded = AgentIdentity.Load(path, "pässwörd 🔑 密码");
        Assert.Equal(identity.Id, loaded.Id);
        Assert.Equal(IdentityFileError.WrongPassphrase, Assert.Throws<IdentityFileException>(() => AgentIdentity.Load(path, "passwort 🔑 密码")).Error);
    }

    private string SaveEncrypted(out AgentId id)
    {
        using AgentIdentity identity = AgentIdentity.Generate();
        string path = PathOf($"encrypted-{Guid.NewGuid():N}.key");
        identity.Save(path, Passphrase);
        id = identity.Id;
        return path;
    }

    private static JsonElement Root(string path)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.Clone();
    }

    private static void Rewrite(string path, JsonElement root, string field, string value) =>
        RewriteRaw(path, root, field, $"\"{JsonEncodedText.Encode(value)}\"");

    /// <summary>Writes the document back with one field's JSON replaced.</summary>
    private static void RewriteRaw(string path, JsonElement root, string field, string rawJson)
    {
        var text = new StringBuilder("{");
        foreach (JsonProperty property in root.EnumerateObject())
        {
            if (text.Length > 1)
            {
                text.Append(", ");
            }

            text.Append('"').Append(property.Name).Append("\": ").Append(property.Name == field ? rawJson : property.Value.GetRawText());
        }

        WriteOwnerOnly(path, text.Append('}').ToString());
    }

    private static void WriteOwnerOnly(string path, byte[] content)
    {
        File.WriteAllBytes(path, content);
        MakeOwnerOnly(path);
    }

    private static void WriteOwnerOnly(string path, string content)
    {
        File.WriteAllText(path, content);
        MakeOwnerOnly(path);
    }

    private static void MakeOwnerOnly(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
