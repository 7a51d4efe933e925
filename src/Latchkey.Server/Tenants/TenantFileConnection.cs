namespace Latchkey.Server.Tenants;

/// <summary>
/// A database connection from a tenant file, in the Auth0 Deploy CLI's shape
/// (<c>{ "name": "Username-Password-Authentication", "strategy": "auth0", "options": { "disable_signup": true } }</c>).
/// Null options were absent from the file and leave the stored value alone.
/// </summary>
internal sealed record TenantFileConnection(string Name, bool? DisableSignup);
