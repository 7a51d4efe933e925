namespace Latchkey.Server.Sessions;

/// <summary>
/// The contract between the login pages and the protocol surface. The login pages sign a principal
/// into <see cref="AuthenticationScheme"/> (claims: <c>sub</c> = user id, <c>sid</c> = session id;
/// <c>AuthenticationProperties.IssuedUtc</c> = the time the user authenticated). The authorize
/// endpoint reads it and challenges it to send the browser to <see cref="LoginPath"/>.
/// </summary>
public static class SessionDefaults
{
    public const string AuthenticationScheme = "Latchkey.Session";
    public const string CookieName = "latchkey_session";
    public const string LoginPath = "/login";
    public const string ReturnUrlParameter = "returnUrl";
    public const string SessionIdClaim = "sid";
}
