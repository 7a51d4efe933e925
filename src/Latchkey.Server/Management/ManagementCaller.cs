namespace Latchkey.Server.Management;

/// <summary>Who called the Management API: the token's subject and scopes.</summary>
internal sealed record ManagementCaller(string Subject, IReadOnlySet<string> Scopes)
{
    public bool Has(string scope) => Scopes.Contains(scope);
}
