using Synapse.Client;
using Synapse.Hosting;
using TrimmedAgent;

// TrimmedAgent            serve on a free loopback port, print "PORT <n>", stop when standard input closes
// TrimmedAgent selftest   call itself through the generated client, see its cron and solar jobs run, then a relay
//                         round trip with a SQLite outbox, and one across two relays sharing the RabbitMQ broker at
//                         SYNAPSE_RABBITMQ_URI when set;
//                         exit 1 on any mismatch
var agent = new Inventory();
await using var host = new AgentHost(agent);
await host.StartAsync();

if (args is ["selftest"])
{
    await using var client = new SynapseClient(host.LocalEndPoint);
    var inventory = new InventoryClient(client);
    var hammer = new Item(Guid.NewGuid(), "hammer", 3, Category.Tool, [1, 2, 3], DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), new() { ["eur"] = 9.5 });
    await inventory.AddAsync(hammer);
    await inventory.AddAsync(hammer with { Id = Guid.NewGuid(), Name = "bolt", Category = Category.Part });
    var tools = await inventory.ListAsync(Category.Tool, 1);
    var ok = tools.Count == 1 && tools[0].Name == "hammer" && tools[0].Id == hammer.Id && tools[0].Tag.SequenceEqual(hammer.Tag)
        && tools[0].Updated == hammer.Updated && tools[0].Prices["eur"] == 9.5 && await client.PingAsync() == "pong"
        && await JobsRanAsync(agent) && await RelaySelfTest.RunAsync();
    if (ok && await RelaySelfTest.RunThroughBrokerAsync() is { } throughBroker)
    {
        Console.WriteLine(throughBroker ? "backplane selftest passed" : "backplane selftest FAILED");
        ok = throughBroker;
    }

    Console.WriteLine(ok ? "selftest passed" : "selftest FAILED");
    return ok ? 0 : 1;
}

Console.WriteLine($"PORT {host.Port}");
await Console.In.ReadToEndAsync();
await host.StopAsync();
return 0;

static async Task<bool> JobsRanAsync(Inventory agent)
{
    for (var i = 0; i < 100 && !agent.JobsRan; i++)
    {
        await Task.Delay(50);
    }

    return agent.JobsRan;
}
