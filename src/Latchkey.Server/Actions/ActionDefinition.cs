namespace Latchkey.Server.Actions;

/// <summary>
/// An Action as Auth0 stores it: a name, the code being edited (<see cref="Code"/>), the triggers it supports and its
/// secrets; <see cref="Deploy"/> makes the current code the one that runs (<see cref="DeployedCode"/>, a new
/// <see cref="DeployedVersion"/>). Named <c>ActionDefinition</c> because <c>System.Action</c> is everywhere.
/// </summary>
public sealed class ActionDefinition
{
    public required string Id { get; set; }

    public required string Name { get; set; }

    /// <summary>The draft: what the Management API shows and the next deploy runs.</summary>
    public required string Code { get; set; }

    /// <summary>Auth0's runtime name (<c>node18</c>, <c>node22</c>…); kept for round trips, every runtime runs in Jint.</summary>
    public string Runtime { get; set; } = ActionRuntimes.Default;

    public List<ActionTriggerRef> SupportedTriggers { get; set; } = [];

    /// <summary>Values encrypted with <see cref="ActionSecretProtector"/>; never returned by the API.</summary>
    public List<ActionSecret> Secrets { get; set; } = [];

    /// <summary>The code that runs when the Action is bound; null until the first deploy.</summary>
    public string? DeployedCode { get; set; }

    /// <summary>1 after the first deploy, then one more per deploy; scripts are parsed once per version.</summary>
    public int DeployedVersion { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? DeployedAt { get; set; }

    /// <summary>Makes the current draft the running code.</summary>
    public void Deploy(DateTimeOffset now)
    {
        DeployedCode = Code;
        DeployedVersion++;
        DeployedAt = now;
    }

    /// <summary>Auth0 action ids are UUIDs.</summary>
    public static string NewId() => Guid.NewGuid().ToString("D");
}

/// <summary>A trigger an Action supports, as Auth0 writes it: <c>{ "id": "post-login", "version": "v3" }</c>.</summary>
public sealed class ActionTriggerRef
{
    public required string Id { get; set; }

    public required string Version { get; set; }
}

/// <summary>A secret of an Action: the name the script reads as <c>event.secrets.NAME</c>, the value encrypted.</summary>
public sealed class ActionSecret
{
    public required string Name { get; set; }

    public required string ProtectedValue { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
