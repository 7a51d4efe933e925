namespace Latchkey.Server.Tenants;

/// <summary>An application from a tenant file with its secret in clear (hashed when applied, never stored).</summary>
internal sealed record TenantFileClient(Application Application, string? ClientSecret);
