namespace Latchkey.Server.Tests.Operations;

/// <summary>
/// Tests that read exact counter values run alone: an OpenTelemetry meter provider listens to every meter named
/// <c>Latchkey</c> in the process, so another test's server running at the same time would add to the counts.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Metrics";
}
