using System.Security.Claims;

namespace Latchkey.AspNetCore.Validation;

/// <summary>The result of validating one token: a principal, or an RFC 6750 error code with a short description.</summary>
internal readonly record struct TokenValidationOutcome(ClaimsPrincipal? Principal, string? Error, string? Description)
{
    public static TokenValidationOutcome Valid(ClaimsPrincipal principal) => new(principal, null, null);

    public static TokenValidationOutcome InvalidToken(string description) => new(null, "invalid_token", description);
}
