using System.Security.Claims;
using Latchkey.AspNetCore.Caching;

namespace Latchkey.AspNetCore.Validation;

/// <summary>The result of validating one token: a principal, or an RFC 6750 error code with a short description.</summary>
internal readonly record struct TokenValidationOutcome(ClaimsPrincipal? Principal, string? Error, string? Description, CachedToken? Entry = null)
{
    public static TokenValidationOutcome Valid(CachedToken entry) => new(new ClaimsPrincipal(entry.CreateIdentity()), null, null, entry);

    public static TokenValidationOutcome InvalidToken(string description) => new(null, "invalid_token", description);
}
