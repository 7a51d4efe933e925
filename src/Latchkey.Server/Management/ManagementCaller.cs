using System.Reflection;
using System.Security.Claims;

namespace Latchkey.Server.Management;

/// <summary>
/// Who called the Management API, bound as a handler parameter: the token's subject and scopes, and whether it is an
/// application acting for itself (client_credentials: <c>sub</c> = <c>&lt;client_id&gt;@clients</c>, <c>gty</c> =
/// <c>client-credentials</c>) or a user (a current-user token from the login flow).
/// The group's authorization has already validated the token, so binding never fails inside <c>/api/v2</c>.
/// </summary>
internal sealed record ManagementCaller(string Subject, string? ClientId, bool IsClient, IReadOnlySet<string> Scopes)
{
    /// <summary>Auth0's grant-type marker on client_credentials tokens (<c>gty</c>).</summary>
    private const string ClientCredentialsGrant = "client-credentials";

    public bool Has(string scope) => Scopes.Contains(scope);

    public static ManagementCaller From(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var scopes = principal.FindAll("scope")
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet(StringComparer.Ordinal);
        return new ManagementCaller(
            principal.FindFirst("sub")?.Value ?? string.Empty,
            principal.FindFirst("azp")?.Value ?? principal.FindFirst("client_id")?.Value,
            principal.FindFirst("gty")?.Value == ClientCredentialsGrant,
            scopes);
    }

    public static ValueTask<ManagementCaller?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult<ManagementCaller?>(From(context.User));
    }
}
