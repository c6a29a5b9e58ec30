using Synapse.Client;
using Synapse.Hosting;
using Synapse.Identity;
using Synapse.Rpc;

namespace Synapse.Tests.Rpc;

public sealed class SecureLinkTests
{
    [Fact]
    public async Task Synapse_clients_connect_securely_and_each_side_learns_the_others_id()
    {
        using var hostIdentity = AgentIdentity.Generate();
        using var clientIdentity = AgentIdentity.Generate();
        await using var host = await TestHost.StartAsync(o => o.Identity = hostIdentity);
        await using var client = new SynapseClient("127.0.0.1", host.Port, new SynapseClientOptions { Identity = clientIdentity, ExpectedPeer = hostIdentity.Id });

        var caller = await client.CallAsync("whoami");

        Assert.Equal(clientIdentity.Id.ToString(), caller.AsString());
        Assert.Equal(hostIdentity.Id, client.PeerId);
        Assert.Equal(ConnectionMode.Multiplexed, client.NegotiatedMode);
    }

    [Fact]
    public async Task Clients_without_an_identity_prove_the_processs_anonymous_identity_which_outlives_each_of_them()
    {
        using var named = AgentIdentity.Generate();
        await using var host = await TestHost.StartAsync();
        string anonymous;
        await using (var first = new SynapseClient("127.0.0.1", host.Port))
        {
            anonymous = (await first.CallAsync("whoami")).AsString();
        }

        await using var second = new SynapseClient("127.0.0.1", host.Port);
        await using var withIdentity = new SynapseClient("127.0.0.1", host.Port, new SynapseClientOptions { Identity = named });

        Assert.True(AgentId.TryParse(anonymous, out _, out _), anonymous);
        Assert.Equal(anonymous, (await second.CallAsync("whoami")).AsString()); // the first client's disposal left it usable
        Assert.Equal(named.Id.ToString(), (await withIdentity.CallAsync("whoami")).AsString());
        Assert.NotEqual(named.Id.ToString(), anonymous);
    }

    [Fact]
    public async Task A_pinned_peer_that_proves_another_id_is_refused()
    {
        using var impostor = AgentIdentity.Generate();
        using var expected = AgentIdentity.Generate();
        await using var host = await TestHost.StartAsync(o => o.Identity = impostor);
        await using var client = new SynapseClient("127.0.0.1", host.Port, new SynapseClientOptions { ExpectedPeer = expected.Id });

        var error = await Assert.ThrowsAsync<RpcException>(() => client.PingAsync());

        Assert.Equal(RpcErrorCodes.AuthenticationFailed, error.Code);
        Assert.Contains(expected.Id.ToString(), error.Message);
    }

    [Fact]
    public async Task Plaintext_synapse_clients_are_refused_by_default_but_python_style_requests_are_served()
    {
        await using var host = await TestHost.StartAsync();
        await using var plaintext = new SynapseClient("127.0.0.1", host.Port, new SynapseClientOptions { Security = LinkSecurity.Disabled });

        var refused = await Assert.ThrowsAsync<RpcException>(() => plaintext.PingAsync());
        var python = RawSocket.Single(await RawSocket.ExchangeAsync(host.Port, RawSocket.Frame("""{"endpoint":"sum","id":"p","args":[1,2]}""")));

        Assert.Equal("secure link required: Synapse clients must connect over Noise", refused.Message);
        Assert.Equal(3, python["result"]!.AsInt64());
    }

    [Fact]
    public async Task A_host_requiring_secure_links_refuses_plaintext_entirely()
    {
        await using var host = await TestHost.StartAsync(o => o.SecureLinks = SecureLinkPolicy.Required);

        var response = RawSocket.Single(await RawSocket.ExchangeAsync(host.Port, RawSocket.Frame("""{"endpoint":"_synapse.ping"}""")));

        WireCompatibilityTests.AssertError(response, "", "bad_request", "secure link required: this host accepts only Noise connections");
    }

    [Fact]
    public async Task Endpoints_can_be_restricted_to_listed_callers()
    {
        using var friend = AgentIdentity.Generate();
        using var stranger = AgentIdentity.Generate();
        await using var host = await TestHost.StartAsync(o => o.AllowCallers("sum", friend.Id));
        await using var friendClient = new SynapseClient("127.0.0.1", host.Port, new SynapseClientOptions { Identity = friend });
        await using var strangerClient = new SynapseClient("127.0.0.1", host.Port, new SynapseClientOptions { Identity = stranger });

        var allowed = await friendClient.CallAsync("sum", [1, 2]);
        var forbidden = await Assert.ThrowsAsync<RpcException>(() => strangerClient.CallAsync("sum", [1, 2]));
        var python = RawSocket.Single(await RawSocket.ExchangeAsync(host.Port, RawSocket.Frame("""{"endpoint":"sum","id":"p","args":[1,2]}""")));

        Assert.Equal(3, allowed.AsInt64());
        Assert.Equal(RpcErrorCodes.Forbidden, forbidden.Code);
        Assert.Equal($"{stranger.Id} may not call sum", forbidden.Message);
        Assert.Equal("forbidden", python["error"]!["code"]!.AsString());
        Assert.Equal(3, (await strangerClient.CallAsync("echo", [3])).AsInt64()); // other endpoints stay open
    }

    [Fact]
    public async Task Large_messages_cross_a_secure_link_in_several_noise_messages()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = new SynapseClient("127.0.0.1", host.Port);
        var payload = new byte[300_000];
        Random.Shared.NextBytes(payload);

        var echoed = await client.CallAsync("echo", [Synapse.MessagePack.MsgPackValue.FromBinary(payload)]);

        Assert.Equal(payload, echoed.AsBinary().ToArray());
    }

    [Fact]
    public async Task A_low_order_ephemeral_key_ends_the_handshake_without_an_answer()
    {
        await using var host = await TestHost.StartAsync();
        byte[] lowOrderKey = [.. Synapse.Transport.Secure.SecureLink.Magic, .. new byte[32]]; // the all-zero point

        var received = await RawSocket.ExchangeAsync(host.Port, RawSocket.Frame(lowOrderKey));

        Assert.Empty(received);
        await WireCompatibilityTests.WaitUntilAsync(() => host.Host.ConnectionCount == 0);
    }
}

public sealed class SecureLinkTransportTests
{
    [Fact]
    public async Task Links_stay_in_step_across_automatic_rekeys()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = new SynapseClient("127.0.0.1", host.Port);
        var calls = (int)Synapse.Transport.Secure.SecureLink.RekeyInterval + 100;

        for (var i = 0; i < calls; i++)
        {
            Assert.Equal(i + 1, (await client.CallAsync("sum", [i, 1])).AsInt64());
        }
    }

    [Fact]
    public async Task A_transport_frame_that_fails_authentication_closes_the_link()
    {
        await using var host = await TestHost.StartAsync();
        using var identity = AgentIdentity.Generate();
        using var credential = Synapse.Crypto.Noise.NoiseStaticCredential.Create(identity);
        var inner = await Synapse.Transport.TcpTransport.Instance.ConnectAsync(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, host.Port));
        var (link, _) = await Synapse.Transport.Secure.SecureLink.ConnectAsync(inner, credential, host.Host.Identity.Id, CancellationToken.None);
        Assert.NotNull(link);
        await using var _ = link;
        await WireCompatibilityTests.WaitUntilAsync(() => host.Host.ConnectionCount == 1);

        // A forged frame written under the secure layer: right length, wrong tag.
        await inner.Pipe.Output.WriteAsync(RawSocket.Frame(new byte[40]));

        await WireCompatibilityTests.WaitUntilAsync(() => host.Host.ConnectionCount == 0);
        var failure = await Record.ExceptionAsync(async () =>
            Assert.True((await link!.Pipe.Input.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10))).IsCompleted));
        Assert.True(failure is null or IOException, $"the link should end, not {failure}"); // closed or reset by the host
    }
}
