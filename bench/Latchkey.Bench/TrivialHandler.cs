using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Latchkey.Bench;

/// <summary>
/// Accepts every request with a fixed principal, validating nothing: the cost of ASP.NET Core's authentication and
/// authorization middleware alone, the floor any bearer handler sits on.
/// </summary>
internal sealed class TrivialHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private static readonly ClaimsPrincipal Principal = new(new ClaimsIdentity([new Claim("sub", "x")], "trivial"));

    protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
        Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(Principal, Scheme.Name)));
}
