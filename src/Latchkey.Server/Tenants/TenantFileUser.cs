namespace Latchkey.Server.Tenants;

/// <summary>
/// A user from a tenant file. Null members were absent from the file and leave the stored value alone
/// (a user may have changed their password or metadata since the last import).
/// </summary>
internal sealed record TenantFileUser(
    string Email,
    string? Password,
    bool? EmailVerified,
    string? Name,
    string? UserMetadata,
    string? AppMetadata,
    IReadOnlyList<string>? Roles,
    bool? Blocked);
