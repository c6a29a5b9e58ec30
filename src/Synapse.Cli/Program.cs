using System.Runtime.InteropServices;
using Synapse.Cli;

// Ctrl+C and SIGTERM cancel the token; the commands stop cleanly and exit with 130 (or 0 for the relay).
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

return await SynapseCli.RunAsync(args, Console.Out, Console.Error, stop.Token);
