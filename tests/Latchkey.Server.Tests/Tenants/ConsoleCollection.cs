namespace Latchkey.Server.Tests.Tenants;

/// <summary>Tests that redirect <see cref="Console.Out"/> run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "Console output";
}
