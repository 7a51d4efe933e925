namespace Latchkey.Server.Actions;

/// <summary>
/// An Action bound to a trigger's flow, at <see cref="Position"/> (0 runs first). Auth0's
/// <c>triggers: { "post-login": [{ action_name, display_name }] }</c> in the tenant file,
/// <c>/actions/triggers/{triggerId}/bindings</c> in the Management API.
/// </summary>
public sealed class ActionBinding
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public required string TriggerId { get; set; }

    public int Position { get; set; }

    public required string ActionId { get; set; }

    public required string DisplayName { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
