namespace Latchkey.Server.Actions;

/// <summary>Auth0's runtime names. Latchkey runs every one of them in the same sandbox (docs/actions.md).</summary>
public static class ActionRuntimes
{
    public const string Default = "node22";

    public static readonly string[] All = ["node12", "node16", "node18", "node18-actions", "node22"];
}
