// The tests here run the .NET SDK, samples and published binaries: they share build outputs and the machine's two
// cores, so they run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
