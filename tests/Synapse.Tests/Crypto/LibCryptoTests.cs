using Synapse.Crypto;
using Synapse.Crypto.Native;

namespace Synapse.Tests.Crypto;

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

    [Fact]
    public void Backend_exceptions_are_cryptographic_exceptions()
    {
        var e = new CryptoBackendException("x", new DllNotFoundException("y"));
        Assert.IsAssignableFrom<System.Security.Cryptography.CryptographicException>(e);
        Assert.IsType<DllNotFoundException>(e.InnerException);
    }

    [Fact]
    public void Secret_buffers_zero_on_dispose()
    {
        var buffer = new SecretBuffer(32);
        buffer.Span.Fill(0xA5);
        byte[] array = buffer.ArrayForTests;
        buffer.Dispose();
        Assert.Equal(new byte[32], array);
        Assert.True(buffer.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => buffer.Span.Length);
        Assert.DoesNotContain("A5", buffer.ToString(), StringComparison.OrdinalIgnoreCase);
    }
}
