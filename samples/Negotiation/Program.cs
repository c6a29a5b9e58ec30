using Negotiation;

// dotnet run --project samples/Negotiation -c Release
// A relay on loopback, a seller and a buyer negotiating through it; prints the deal and checks both decision graphs.
return await NegotiationRun.RunAsync(Console.Out);
