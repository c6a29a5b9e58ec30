using Synapse.Client;
using Synapse.Identity;
using Synapse.Reputation;
using Synapse.Rpc;

namespace Synapse.Cli.Commands;

/// <summary>Where <c>synapse reputation</c> gets its evidence: a node's <c>_agent.evidence</c> or a saved file.</summary>
internal static class EvidenceSource
{
    /// <summary>Fetches the evidence about <paramref name="subject"/> from the node.</summary>
    /// <exception cref="CliException">The node cannot be reached, serves no evidence or answers malformed evidence (failure).</exception>
    public static async Task<FetchedEvidence> FetchAsync(NodeOptions.Target target, AgentId subject, CancellationToken cancellationToken)
    {
        await using var client = target.CreateClient();
        try
        {
            return await client.FetchEvidenceAsync(subject, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.Code == RpcErrorCodes.BadRequest && e.Message == $"Unregistered endpoint called: {EvidenceFetching.Endpoint}")
        {
            throw CliException.Failure($"{target.Address} serves no reputation evidence ({EvidenceFetching.Endpoint} is not registered there)", e);
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw RpcErrors.Describe(e, target.Address, EvidenceFetching.Endpoint);
        }
    }

    /// <summary>Reads an evidence set saved with <c>--save</c> (or written by <see cref="EvidenceSet.Encode"/>).</summary>
    /// <exception cref="CliException">The file is missing (usage error), unreadable, too large or not an evidence set (failure).</exception>
    public static async Task<FetchedEvidence> LoadAsync(string path, AgentId subject, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw CliException.Usage(Directory.Exists(path) ? $"'{path}' is a directory, not an evidence file" : $"cannot open evidence file '{path}': file not found");
        }

        byte[] bytes;
        try
        {
            long length = new FileInfo(path).Length;
            if (length > EvidenceLimits.MaxEncodedSize)
            {
                throw CliException.Failure($"evidence file '{path}' is {length} bytes; an evidence set is at most {EvidenceLimits.MaxEncodedSize}");
            }

            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (UnauthorizedAccessException e)
        {
            throw CliException.Failure($"cannot read evidence file '{path}': permission denied", e);
        }
        catch (IOException e)
        {
            throw CliException.Failure($"cannot read evidence file '{path}': {CliConsole.Clause(e.Message)}", e);
        }

        try
        {
            var evidence = EvidenceSet.Decode(bytes);
            return new FetchedEvidence(subject, evidence, evidence.Count, Truncated: false, Source: null);
        }
        catch (ReputationException e)
        {
            throw CliException.Failure($"evidence file '{path}' is not an evidence set: {CliConsole.Clause(e.Message)}", e);
        }
    }

    /// <summary>Writes <paramref name="evidence"/> to <paramref name="path"/> (replacing it), encoded as <see cref="EvidenceSet.Encode"/> does.</summary>
    /// <exception cref="CliException">The file cannot be written (failure).</exception>
    public static async Task SaveAsync(EvidenceSet evidence, string path, CancellationToken cancellationToken)
    {
        try
        {
            await File.WriteAllBytesAsync(path, evidence.Encode(), cancellationToken).ConfigureAwait(false);
        }
        catch (UnauthorizedAccessException e)
        {
            throw CliException.Failure($"cannot write evidence file '{path}': permission denied", e);
        }
        catch (IOException e)
        {
            throw CliException.Failure($"cannot write evidence file '{path}': {CliConsole.Clause(e.Message)}", e);
        }
    }
}
