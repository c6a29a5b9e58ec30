using Synapse.Discovery;
using Synapse.Identity;
using Synapse.Tests.Envelopes;
using static Synapse.Tests.Discovery.AgentCardTests;

namespace Synapse.Tests.Discovery;

public class AgentDirectoryTests
{
    private readonly ManualTimeProvider _clock = new(Start.AddMinutes(1));

    [Fact]
    public void A_card_is_accepted_then_replaced_only_by_a_newer_one()
    {
        using AgentIdentity alice = AgentIdentity.Generate();
        var directory = new AgentDirectory(time: _clock);
        AgentCard first = Card(alice);
        Assert.Equal(PublishStatus.Accepted, directory.Publish(first).Status);
        Assert.Equal(PublishStatus.Unchanged, directory.Publish(AgentCard.Decode(first.Encode())).Status);

        AgentCard newer = Card(alice, name: "reviewer-2", issuedAt: Start.AddSeconds(30));
        Assert.Equal(PublishStatus.Replaced, directory.Publish(newer).Status);
        Assert.Equal("reviewer-2", directory.Get(alice.Id)!.Name);

        PublishResult stale = directory.Publish(Card(alice, name: "old", issuedAt: Start.AddSeconds(10)));
        Assert.Equal((PublishStatus.Refused, CardRefusal.Stale, "stale_card"), (stale.Status, stale.Refusal, stale.Code));
        PublishResult sameTime = directory.Publish(Card(alice, name: "other", issuedAt: Start.AddSeconds(30)));
        Assert.Equal(CardRefusal.Stale, sameTime.Refusal);
        Assert.Equal("reviewer-2", directory.Get(alice.Id)!.Name);
        Assert.Equal(1, directory.Count);
    }

    [Fact]
    public void Forged_expired_future_and_oversized_cards_are_refused()
    {
        using AgentIdentity alice = AgentIdentity.Generate();
        using AgentIdentity mallory = AgentIdentity.Generate();
        var directory = new AgentDirectory(new AgentDirectoryOptions { MaxCardSize = 400, ClockSkew = TimeSpan.FromMinutes(1) }, _clock);

        byte[] forged = Card(alice).Encode();
        byte[] mallorys = Card(mallory).Encode();
        mallorys.AsSpan(mallorys.Length - 64).CopyTo(forged.AsSpan(forged.Length - 64));
        Assert.Equal(CardRefusal.Forged, directory.Publish(AgentCard.Decode(forged)).Refusal);
        Assert.Equal("forged_card", directory.Publish(AgentCard.Decode(forged)).Code);
        Assert.Equal(CardRefusal.Expired, directory.Publish(Card(alice, issuedAt: Start.AddHours(-2))).Refusal);
        Assert.Equal(CardRefusal.NotYetValid, directory.Publish(Card(alice, issuedAt: Start.AddMinutes(3))).Refusal);
        Assert.Equal(PublishStatus.Accepted, directory.Publish(Card(alice, issuedAt: Start.AddMinutes(1.5))).Status);
        Assert.Equal(CardRefusal.TooLarge, directory.Publish(Card(mallory, capabilities: [.. Enumerable.Range(0, 20).Select(i => $"capability-{i}")])).Refusal);
        Assert.Equal(1, directory.Count);
    }

    [Fact]
    public void A_full_directory_refuses_new_agents_until_cards_expire()
    {
        using AgentIdentity a = AgentIdentity.Generate();
        using AgentIdentity b = AgentIdentity.Generate();
        using AgentIdentity c = AgentIdentity.Generate();
        var directory = new AgentDirectory(new AgentDirectoryOptions { MaxCards = 2 }, _clock);
        directory.Publish(Card(a, lifetime: TimeSpan.FromMinutes(10)));
        directory.Publish(Card(b, lifetime: TimeSpan.FromHours(2)));
        Assert.Equal(CardRefusal.Full, directory.Publish(Card(c)).Refusal);
        Assert.Equal(PublishStatus.Replaced, directory.Publish(Card(a, issuedAt: Start.AddSeconds(1), lifetime: TimeSpan.FromMinutes(10))).Status);

        _clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Null(directory.Get(a.Id));
        Assert.Equal(PublishStatus.Accepted, directory.Publish(Card(c, issuedAt: Start.AddMinutes(10))).Status);
        Assert.Equal(2, directory.Count);

        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, directory.PurgeExpired());
        Assert.Equal(1, directory.Count);
    }

    [Fact]
    public void Queries_match_capability_role_name_and_text_case_insensitively()
    {
        using AgentIdentity reviewer = AgentIdentity.Generate();
        using AgentIdentity writer = AgentIdentity.Generate();
        using AgentIdentity tester = AgentIdentity.Generate();
        var directory = new AgentDirectory(time: _clock);
        directory.Publish(Card(reviewer, name: "Reviewer", role: "critic", capabilities: ["code-review", "lint"]));
        directory.Publish(Card(writer, name: "Writer", role: "author", capabilities: ["write-docs"]));
        directory.Publish(Card(tester, name: "Tester", role: "critic", capabilities: ["run-tests"]));

        Assert.Equal(["Reviewer"], Names(directory.Query(new AgentQuery { Capability = "CODE-review" })));
        Assert.Empty(directory.Query(new AgentQuery { Capability = "code" }).Cards);
        Assert.Equal(["Reviewer", "Tester"], Names(directory.Query(new AgentQuery { Role = "Critic" })).Order());
        Assert.Equal(["Tester"], Names(directory.Query(new AgentQuery { Role = "critic", Name = "test" })));
        Assert.Equal(["Writer"], Names(directory.Query(new AgentQuery { Text = "DOCS" })));
        Assert.Equal(["Writer"], Names(directory.Query(new AgentQuery { Text = "writer reads" })));
        Assert.Equal(3, directory.Query(new AgentQuery()).Cards.Count);
    }

    [Fact]
    public void Pages_follow_agent_id_order_and_tokens_continue_where_they_stopped()
    {
        var identities = Enumerable.Range(0, 7).Select(_ => AgentIdentity.Generate()).ToArray();
        try
        {
            var directory = new AgentDirectory(time: _clock);
            foreach (AgentIdentity identity in identities)
            {
                directory.Publish(Card(identity));
            }

            var seen = new List<AgentId>();
            string? token = null;
            int pages = 0;
            do
            {
                AgentPage page = directory.Query(new AgentQuery { Capability = "code-review", PageSize = 3, PageToken = token });
                Assert.InRange(page.Cards.Count, 1, 3);
                seen.AddRange(page.Cards.Select(c => c.Agent));
                token = page.NextPageToken;
                pages++;
            }
            while (token is not null);

            Assert.Equal(3, pages);
            Assert.Equal(identities.Select(i => i.Id).OrderBy(i => Convert.ToHexString(i.PublicKey)), seen);

            // A byte budget cuts a page short, but never below one card.
            AgentPage small = directory.Query(new AgentQuery { PageSize = 100 }, maxPageBytes: 1);
            Assert.Single(small.Cards);
            Assert.NotNull(small.NextPageToken);
            Assert.Equal(100, new AgentQuery { PageSize = 5000 }.EffectivePageSize);
            Assert.Throws<ArgumentException>(() => directory.Query(new AgentQuery { PageToken = "not a token!" }));
        }
        finally
        {
            foreach (AgentIdentity identity in identities)
            {
                identity.Dispose();
            }
        }
    }

    [Fact]
    public void Concurrent_publishers_keep_one_card_per_agent()
    {
        var identities = Enumerable.Range(0, 8).Select(_ => AgentIdentity.Generate()).ToArray();
        var directory = new AgentDirectory(time: _clock);
        Parallel.For(0, 64, i => directory.Publish(Card(identities[i % 8], issuedAt: Start.AddSeconds(i))));
        Assert.Equal(8, directory.Count);
        for (int i = 0; i < 8; i++)
        {
            Assert.Equal(Start.AddSeconds(56 + i), directory.Get(identities[i].Id)!.IssuedAt);
            identities[i].Dispose();
        }
    }

    private static IEnumerable<string> Names(AgentPage page) => page.Cards.Select(c => c.Name);
}
