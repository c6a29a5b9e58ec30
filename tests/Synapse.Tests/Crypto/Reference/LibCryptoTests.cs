using Synapse.Testing.Crypto;

namespace Synapse.Tests.Crypto.Reference;

/// <summary>The test-only OpenSSL reference binding loads as it did in the product.</summary>
public class LibCryptoTests
{
    [Fact]
    public void A_usable_libcrypto_is_loaded()
    {
        Assert.True(LibCrypto.IsAvailable);
        Assert.Contains(LibCrypto.LibraryFile, LibCrypto.CandidateNames);
        Assert.StartsWith("OpenSSL ", LibCrypto.VersionText, StringComparison.Ordinal);
        LibCrypto.EnsureAvailable();
    }

    [Fact]
    public void Linux_tries_libcrypto_3_then_1_1()
    {
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(["libcrypto.so.3", "libcrypto.so.1.1"], LibCrypto.CandidateNames);
        }
    }

    [Fact]
    public void When_nothing_loads_the_error_names_every_library_tried()
    {
        IntPtr handle = LibCrypto.TryLoad(["libcrypto-missing.so.3", "libcrypto-missing.so.1.1"], out string? loaded, out string? error);
        Assert.Equal(IntPtr.Zero, handle);
        Assert.Null(loaded);
        Assert.NotNull(error);
        Assert.Contains("libcrypto-missing.so.3", error, StringComparison.Ordinal);
        Assert.Contains("libcrypto-missing.so.1.1", error, StringComparison.Ordinal);
        Assert.Contains("OpenSSL", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_library_without_the_raw_key_functions_is_refused_as_too_old()
    {
        // libc loads but exports no EVP functions: the loader must skip it and say why.
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        IntPtr handle = LibCrypto.TryLoad(["libc.so.6"], out _, out string? error);
        Assert.Equal(IntPtr.Zero, handle);
        Assert.Contains("libc.so.6: too old", error, StringComparison.Ordinal);
    }
}
