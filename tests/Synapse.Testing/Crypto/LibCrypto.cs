using System.Reflection;
using System.Runtime.InteropServices;

namespace Synapse.Testing.Crypto;

/// <summary>
/// The OpenSSL libcrypto binding Synapse used for Ed25519 and X25519 before NSec, kept as a test-only reference
/// implementation (<see cref="OpenSsl25519"/>) so the differential tests keep proving NSec gives the same answers.
/// Linux only in practice: the tests need the machine's libcrypto. Source-generated
/// <see cref="LibraryImportAttribute"/> stubs; this class owns the assembly's one
/// <see cref="DllImportResolver"/>: the logical library <see cref="LibraryName"/> resolves to the first of
/// <see cref="CandidateNames"/> that loads and exports what we need (<c>libcrypto.so.3</c>, then
/// <c>libcrypto.so.1.1</c> on Linux). No other P/Invoke in the assembly may set a resolver.
/// </summary>
/// <remarks>
/// Every entry point calls <see cref="EnsureAvailable"/> first, so a missing library surfaces as an
/// <see cref="InvalidOperationException"/> naming the libraries tried, never as a type-initialisation failure.
/// Functions used here exist with the same signatures in OpenSSL 1.1.1 and 3.x.
/// </remarks>
internal static unsafe partial class LibCrypto
{
    /// <summary>The logical library name the stubs bind to; only the resolver maps it to a file.</summary>
    internal const string LibraryName = "synapse-libcrypto";

    /// <summary><c>NID_X25519</c> / <c>EVP_PKEY_X25519</c>.</summary>
    internal const int EVP_PKEY_X25519 = 1034;

    /// <summary><c>NID_ED25519</c> / <c>EVP_PKEY_ED25519</c>.</summary>
    internal const int EVP_PKEY_ED25519 = 1087;

    /// <summary>A symbol only OpenSSL ≥ 1.1.1 exports; a library without it is too old to use.</summary>
    private const string RequiredSymbol = "EVP_PKEY_new_raw_private_key";

    private static readonly IntPtr Handle;
    private static readonly string? LoadError;
    private static readonly string? LoadedName;

    static LibCrypto()
    {
        Handle = TryLoad(CandidateNames, out LoadedName, out LoadError);
        NativeLibrary.SetDllImportResolver(typeof(LibCrypto).Assembly, Resolve);
    }

    /// <summary>The library files tried, in order, for this operating system.</summary>
    internal static string[] CandidateNames { get; } =
        OperatingSystem.IsMacOS() ? ["libcrypto.3.dylib", "libcrypto.1.1.dylib"]
        : OperatingSystem.IsWindows() ? ["libcrypto-3-x64.dll", "libcrypto-1_1-x64.dll"]
        : ["libcrypto.so.3", "libcrypto.so.1.1"];

    /// <summary>Whether a usable libcrypto was loaded.</summary>
    internal static bool IsAvailable => Handle != IntPtr.Zero;

    /// <summary>The file that was loaded (e.g. <c>libcrypto.so.3</c>), or null.</summary>
    internal static string? LibraryFile => LoadedName;

    /// <summary>OpenSSL's own version text (e.g. <c>OpenSSL 3.0.13 30 Jan 2024</c>), or null when unavailable.</summary>
    internal static string? VersionText
    {
        get
        {
            if (!IsAvailable)
            {
                return null;
            }

            IntPtr text = OpenSSL_version(0);
            return text == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(text);
        }
    }

    /// <summary>Throws <see cref="InvalidOperationException"/> when no usable libcrypto could be loaded.</summary>
    internal static void EnsureAvailable()
    {
        if (Handle == IntPtr.Zero)
        {
            throw new InvalidOperationException(LoadError!, new DllNotFoundException(LoadError));
        }
    }

    /// <summary>
    /// Loads the first of <paramref name="names"/> that loads and exports <c>EVP_PKEY_new_raw_private_key</c>.
    /// On failure returns zero and an error naming every library tried.
    /// </summary>
    internal static IntPtr TryLoad(IReadOnlyList<string> names, out string? loadedName, out string? error)
    {
        var reasons = new List<string>(names.Count);
        foreach (string name in names)
        {
            if (!NativeLibrary.TryLoad(name, typeof(LibCrypto).Assembly, DllImportSearchPath.SafeDirectories | DllImportSearchPath.System32, out IntPtr handle))
            {
                reasons.Add($"{name}: not found or not loadable");
                continue;
            }

            if (!NativeLibrary.TryGetExport(handle, RequiredSymbol, out _))
            {
                NativeLibrary.Free(handle);
                reasons.Add($"{name}: too old (no {RequiredSymbol}; OpenSSL 1.1.1 or later is required)");
                continue;
            }

            loadedName = name;
            error = null;
            return handle;
        }

        loadedName = null;
        error = $"The reference implementation needs OpenSSL's libcrypto for Ed25519 and X25519, but none of {string.Join(", ", names)} could be loaded ({string.Join("; ", reasons)}). Install OpenSSL 3 (for example the libssl3 package) or OpenSSL 1.1.1.";
        return IntPtr.Zero;
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != LibraryName)
        {
            return IntPtr.Zero;
        }

        // Throwing (rather than returning zero) keeps the runtime from probing "synapse-libcrypto" itself.
        return Handle != IntPtr.Zero ? Handle : throw new DllNotFoundException(LoadError);
    }

    // EVP_PKEY

    [LibraryImport(LibraryName)]
    internal static partial IntPtr EVP_PKEY_new_raw_private_key(int type, IntPtr engine, byte* key, nuint keyLength);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr EVP_PKEY_new_raw_public_key(int type, IntPtr engine, byte* key, nuint keyLength);

    [LibraryImport(LibraryName)]
    internal static partial int EVP_PKEY_get_raw_public_key(IntPtr pkey, byte* publicKey, nuint* length);

    [LibraryImport(LibraryName)]
    internal static partial void EVP_PKEY_free(IntPtr pkey);

    // One-shot signatures (Ed25519 takes a NULL digest)

    [LibraryImport(LibraryName)]
    internal static partial IntPtr EVP_MD_CTX_new();

    [LibraryImport(LibraryName)]
    internal static partial void EVP_MD_CTX_free(IntPtr ctx);

    [LibraryImport(LibraryName)]
    internal static partial int EVP_DigestSignInit(IntPtr ctx, IntPtr pkeyCtx, IntPtr digest, IntPtr engine, IntPtr pkey);

    [LibraryImport(LibraryName)]
    internal static partial int EVP_DigestSign(IntPtr ctx, byte* signature, nuint* signatureLength, byte* message, nuint messageLength);

    [LibraryImport(LibraryName)]
    internal static partial int EVP_DigestVerifyInit(IntPtr ctx, IntPtr pkeyCtx, IntPtr digest, IntPtr engine, IntPtr pkey);

    [LibraryImport(LibraryName)]
    internal static partial int EVP_DigestVerify(IntPtr ctx, byte* signature, nuint signatureLength, byte* message, nuint messageLength);

    // Key agreement

    [LibraryImport(LibraryName)]
    internal static partial IntPtr EVP_PKEY_CTX_new(IntPtr pkey, IntPtr engine);

    [LibraryImport(LibraryName)]
    internal static partial void EVP_PKEY_CTX_free(IntPtr ctx);

    [LibraryImport(LibraryName)]
    internal static partial int EVP_PKEY_derive_init(IntPtr ctx);

    [LibraryImport(LibraryName)]
    internal static partial int EVP_PKEY_derive_set_peer(IntPtr ctx, IntPtr peer);

    [LibraryImport(LibraryName)]
    internal static partial int EVP_PKEY_derive(IntPtr ctx, byte* key, nuint* keyLength);

    // Housekeeping

    /// <summary>Empties this thread's OpenSSL error queue (after any failed call, so errors never leak into later calls).</summary>
    [LibraryImport(LibraryName)]
    internal static partial void ERR_clear_error();

    [LibraryImport(LibraryName)]
    private static partial IntPtr OpenSSL_version(int type);
}
