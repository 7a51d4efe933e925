namespace Latchkey.Server.Tenants.Rules;

/// <summary>
/// One permission as a tenant file or a Management API body gives it (a role's or a user's direct one): a scope
/// (<see cref="PermissionName"/>) of an API. Null: not given or wrong JSON type.
/// </summary>
internal sealed record PermissionDraft(string? ResourceServerIdentifier, string? PermissionName);
