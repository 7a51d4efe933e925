namespace Latchkey.Server.Hosting;

/// <summary>
/// <c>Latchkey:Actions</c>: the limits every execution of Actions runs under (docs/actions.md). A script that exceeds one
/// fails the login closed; the server keeps serving.
/// </summary>
public sealed class ActionOptions
{
    /// <summary>Wall time for all the Actions bound to one trigger, together (Auth0 allows about 20 s; we default lower).</summary>
    public TimeSpan TimeLimit { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>JavaScript statements one Action may execute per run.</summary>
    public int MaxStatements { get; set; } = 10_000_000;

    /// <summary>Nested function calls one Action may make.</summary>
    public int MaxRecursionDepth { get; set; } = 256;

    /// <summary>Bytes one Action may allocate per run.</summary>
    public long MaxMemoryBytes { get; set; } = 64L * 1024 * 1024;
}
