using System.Net.Sockets;
using Synapse.Client;
using Synapse.Rpc;

namespace Synapse.Cli;

/// <summary>Turns a failed call into one clear line (exit code 1).</summary>
internal static class RpcErrors
{
    /// <summary>Describes <paramref name="error"/>, a failure of a call to <paramref name="address"/>.</summary>
    public static CliException Describe(RpcException error, NodeAddress address, string endpoint)
    {
        if (FindSocketError(error) is { } socket && error.Code == RpcErrorCodes.ConnectionFailed)
        {
            var what = error.Message.StartsWith("cannot connect", StringComparison.Ordinal) ? $"cannot connect to {address}" : $"connection to {address} failed";
            return CliException.Failure($"{what}: {Describe(socket)}", error);
        }

        var message = error.Message;
        switch (error.Code)
        {
            case RpcErrorCodes.Timeout:
            case RpcErrorCodes.ConnectionFailed:
            case RpcErrorCodes.ProtocolError:
            case RpcErrorCodes.AuthenticationFailed:
                // Raised by this client: its message says what happened.
                return CliException.Failure(WithUserAddress(message, address), error);
            default:
                // Sent by the node: the error type and its message.
                return CliException.Failure($"'{endpoint}' failed: {error.Code}: {message}", error);
        }
    }

    /// <summary>A socket error in words, as a shell user knows them.</summary>
    public static string Describe(SocketException socket) => socket.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "host not found",
        SocketError.TimedOut => "timed out",
        SocketError.HostUnreachable => "host unreachable",
        SocketError.NetworkUnreachable => "network unreachable",
        SocketError.ConnectionReset => "connection reset by peer",
        SocketError.AddressAlreadyInUse => "address already in use",
        SocketError.AddressNotAvailable => "address not available",
        SocketError.AccessDenied => "permission denied",
        _ => CliConsole.Clause(socket.Message),
    };

    /// <summary>The socket error behind <paramref name="error"/>, if any.</summary>
    public static SocketException? FindSocketError(Exception error)
    {
        for (var inner = error.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket;
            }
        }

        return null;
    }

    // The runtime names a host-name peer by its DnsEndPoint ("Unspecified/example:9"); show it as the user wrote it.
    private static string WithUserAddress(string message, NodeAddress address) =>
        message.Replace($"Unspecified/{address.Host}:{address.Port}", address.ToString(), StringComparison.Ordinal);
}
