namespace Latchkey.Bench;

/// <summary>The benchmark endpoint's answer, shaped like the sample API's.</summary>
internal sealed record Reply(string Message);
