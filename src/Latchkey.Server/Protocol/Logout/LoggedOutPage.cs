using Latchkey.Server.Protocol.Responses;

namespace Latchkey.Server.Protocol.Logout;

/// <summary>"You are logged out": shown when a logout has nowhere trusted to redirect to.</summary>
internal sealed class LoggedOutPage : IResult
{
    public static readonly LoggedOutPage Result = new();

    private LoggedOutPage()
    {
    }

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        return ProtocolPage.WriteAsync(
            httpContext.Response,
            StatusCodes.Status200OK,
            "Logged out",
            "<h1 id=\"title\">You are logged out</h1>\n<p class=\"lead\">You have been signed out of Latchkey. You can close this window.</p>");
    }
}
