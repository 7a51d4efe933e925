namespace Latchkey.Server.Tenants.Rules;

/// <summary>
/// A user as a tenant file gives it. Null members were absent and leave the stored value alone (a user may have
/// changed their password or metadata since the last import). Metadata is compact JSON text. <see cref="Roles"/> are
/// role names; <see cref="Permissions"/> are the user's direct permissions.
/// </summary>
internal sealed record UserDraft(
    string Email,
    string? Password,
    bool? EmailVerified,
    string? Name,
    string? UserMetadata,
    string? AppMetadata,
    IReadOnlyList<string>? Roles,
    bool? Blocked,
    IReadOnlyList<PermissionDraft?>? Permissions = null,
    string? PasswordHash = null);
