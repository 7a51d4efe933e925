namespace Latchkey.Server.Tenants.Rules;

/// <summary>A client grant as a tenant file or a Management API body gives it (null: not given or wrong JSON type).</summary>
internal sealed record ClientGrantDraft
{
    public string? ClientId { get; init; }

    public string? Audience { get; init; }

    public IReadOnlyList<string?>? Scope { get; init; }

    /// <summary>The entity. Call only when <see cref="ClientGrantRules.Check"/> found nothing.</summary>
    public ClientGrant ToClientGrant() =>
        new() { ClientId = ClientId!, Audience = Audience!, Scope = [.. Scope.OrEmpty().Distinct(StringComparer.Ordinal)] };
}
