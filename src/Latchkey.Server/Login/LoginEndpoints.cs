using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Latchkey.Server.Accounts;
using Latchkey.Server.AttackProtection;
using Latchkey.Server.Logs;
using Latchkey.Server.Operations;
using Latchkey.Server.Persistence;
using Latchkey.Server.Sessions;
using Latchkey.Server.Tenants;
using Latchkey.Server.Users;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace Latchkey.Server.Login;

/// <summary>
/// <c>GET/POST /login</c> and <c>GET/POST /signup</c>. Login is a client of the protocol: these pages find out who
/// the user is, sign them into the session cookie, and send the browser back to the local <c>returnUrl</c>
/// (usually the <c>/authorize</c> request that sent them here). They never build tokens.
/// </summary>
internal static class LoginEndpoints
{
    private const string SignUpPath = "/signup";
    private const int MaxFormBytes = 32 * 1024;

    // form-action is deliberately absent: browsers apply it to the redirect chain after the POST
    // (/login → /authorize → the application's callback), which would block the return to the application.
    private const string ContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'";

    public static void Map(WebApplication app)
    {
        app.MapGet(SessionDefaults.LoginPath, (HttpContext http, IAntiforgery antiforgery, TenantCache tenants, LatchkeyDbContext db) =>
            ShowAsync(http, antiforgery, tenants, db, isSignUp: false));
        app.MapGet(SignUpPath, (HttpContext http, IAntiforgery antiforgery, TenantCache tenants, LatchkeyDbContext db) =>
            ShowAsync(http, antiforgery, tenants, db, isSignUp: true));
        app.MapPost(SessionDefaults.LoginPath, LogInAsync).RequireRateLimiting(RateLimitServiceCollectionExtensions.LoginPagesPolicy);
        app.MapPost(SignUpPath, SignUpAsync).RequireRateLimiting(RateLimitServiceCollectionExtensions.LoginPagesPolicy);
        app.MapGet(LoginHtml.StylesheetPath, (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=3600";
            http.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.Text(Stylesheet.Value, "text/css; charset=utf-8");
        });
    }

    private static readonly Lazy<string> Stylesheet = new(() =>
    {
        using var stream = typeof(LoginEndpoints).Assembly.GetManifestResourceStream("Latchkey.Server.login.css")
            ?? throw new InvalidOperationException("Embedded resource Latchkey.Server.login.css is missing from the build.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    });

    private static async Task<IResult> ShowAsync(HttpContext http, IAntiforgery antiforgery, TenantCache tenants, LatchkeyDbContext db, bool isSignUp)
    {
        var returnUrl = ReturnUrl.OrDefault(http.Request.Query[SessionDefaults.ReturnUrlParameter]);
        var hints = await AuthorizeHintsAsync(returnUrl, tenants, http.RequestAborted);
        var signUpAllowed = await SignUpAllowedAsync(tenants, http.RequestAborted);
        if (isSignUp && !signUpAllowed)
        {
            return SignUpDisabled(http);
        }

        // Auth0's screen_hint=signup (loginWithRedirect({ authorizationParams: { screen_hint: 'signup' } })).
        if (!isSignUp && hints.ScreenHint == "signup" && signUpAllowed)
        {
            isSignUp = true;
        }

        var page = NewPage(http, antiforgery, isSignUp, returnUrl) with
        {
            SignUpAllowed = signUpAllowed,
            ApplicationName = hints.ApplicationName,
            Email = hints.LoginHint,
            SignedInAs = await SignedInEmailAsync(http, db),
        };
        return Page(http, page, StatusCodes.Status200OK);
    }

    private static async Task<IResult> LogInAsync(HttpContext http, IAntiforgery antiforgery, TenantCache tenants, PasswordAuthenticator authenticator, TimeProvider time, LoginSessionStore sessions, TenantLog log)
    {
        var (form, failure) = await ReadFormAsync(http, antiforgery);
        if (failure is not null)
        {
            return failure;
        }

        var returnUrl = ReturnUrl.OrDefault(form![SessionDefaults.ReturnUrlParameter]);
        var email = form["email"].ToString().Trim();
        var password = form["password"].ToString();
        var hints = await AuthorizeHintsAsync(returnUrl, tenants, http.RequestAborted);
        var page = NewPage(http, antiforgery, isSignUp: false, returnUrl) with
        {
            ApplicationName = hints.ApplicationName,
            Email = email,
            SignUpAllowed = await SignUpAllowedAsync(tenants, http.RequestAborted),
        };
        if (email.Length == 0 || password.Length == 0)
        {
            return Page(http, page with { Error = "Enter your email and password.", ErrorField = email.Length == 0 ? "email" : "password" }, StatusCodes.Status400BadRequest);
        }

        var ip = LoginThrottleService.KeyFor(http.Connection.RemoteIpAddress);
        var result = await authenticator.AuthenticateAsync(email, password, ip, http.RequestAborted);
        log.Write(LoginLog.For(http, result, email, hints.ClientId));
        switch (result.Outcome)
        {
            case PasswordAuthenticationOutcome.Success:
                await SignInAsync(http, result.User!, time, sessions);
                return SeeOther(http, returnUrl);
            case PasswordAuthenticationOutcome.Throttled:
                return Page(http, page with { Error = "Too many failed login attempts for this account from your network. Login is blocked here until an administrator unblocks it or the password is reset." }, StatusCodes.Status429TooManyRequests);
            case PasswordAuthenticationOutcome.UserBlocked:
                return Page(http, page with { Error = "This account is blocked. Contact your administrator." }, StatusCodes.Status403Forbidden);
            default:
                // Same words and status for an unknown email and a wrong password.
                return Page(http, page with { Error = "Wrong email or password." }, StatusCodes.Status400BadRequest);
        }
    }

    private static async Task<IResult> SignUpAsync(HttpContext http, IAntiforgery antiforgery, TenantCache tenants, SignUpService signUp, LoginThrottleService throttle, TimeProvider time, LoginSessionStore sessions, TenantLog log, AccountMail mail)
    {
        if (!await SignUpAllowedAsync(tenants, http.RequestAborted))
        {
            return SignUpDisabled(http);
        }

        var (form, failure) = await ReadFormAsync(http, antiforgery);
        if (failure is not null)
        {
            return failure;
        }

        var returnUrl = ReturnUrl.OrDefault(form![SessionDefaults.ReturnUrlParameter]);
        var email = form["email"].ToString().Trim();
        var password = form["password"].ToString();
        var hints = await AuthorizeHintsAsync(returnUrl, tenants, http.RequestAborted);
        var page = NewPage(http, antiforgery, isSignUp: true, returnUrl) with
        {
            ApplicationName = hints.ApplicationName,
            Email = email,
        };

        // Auth0 suspicious-IP throttling for sign-ups: 50 per minute from one address (BF-6).
        if (!await throttle.TryCountSignUpAsync(LoginThrottleService.KeyFor(http.Connection.RemoteIpAddress), http.RequestAborted))
        {
            const string TooMany = "Too many sign-ups from your network. Wait a minute and try again.";
            log.Write(LoginLog.SignUp(http, email, hints.ClientId, user: null, TooMany));
            return Page(http, page with { Error = TooMany }, StatusCodes.Status429TooManyRequests);
        }

        var (user, field, problem) = await signUp.CreateAsync(email, password, http.RequestAborted);
        log.Write(LoginLog.SignUp(http, email, hints.ClientId, user, problem));
        if (user is null)
        {
            return Page(http, page with { Error = problem, ErrorField = field }, StatusCodes.Status400BadRequest);
        }

        // The verification link goes out when mail can be sent; without it the user is simply unverified.
        await mail.SendVerificationAsync(user, hints.ClientId, http.RequestAborted);
        await SignInAsync(http, user, time, sessions);
        return SeeOther(http, returnUrl);
    }

    /// <summary>
    /// Reads a small urlencoded form and checks its antiforgery token (CSRF-1: missing or wrong → 400). The account pages
    /// (<c>Accounts/</c>) pass <paramref name="forgeryPage"/>, the page to show instead of the login form then.
    /// </summary>
    internal static async Task<(IFormCollection? Form, IResult? Failure)> ReadFormAsync(HttpContext http, IAntiforgery antiforgery, Func<IFormCollection, IResult>? forgeryPage = null)
    {
        if (!http.Request.HasFormContentType)
        {
            return (null, Message(http, StatusCodes.Status415UnsupportedMediaType, "Unsupported request", "Send the form as application/x-www-form-urlencoded."));
        }

        if (http.Request.ContentLength > MaxFormBytes)
        {
            return (null, Message(http, StatusCodes.Status413PayloadTooLarge, "Request too large", "The form is larger than a login form can be."));
        }

        http.Features.Set<IFormFeature>(new FormFeature(http.Request, new FormOptions
        {
            ValueCountLimit = 16,
            KeyLengthLimit = 64,
            ValueLengthLimit = 16 * 1024,
            MultipartBodyLengthLimit = MaxFormBytes,
            BufferBodyLengthLimit = MaxFormBytes,
        }));
        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(http.RequestAborted);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException or IOException)
        {
            return (null, Message(http, StatusCodes.Status400BadRequest, "Bad request", "The form could not be read."));
        }

        if (!await antiforgery.IsRequestValidAsync(http))
        {
            if (forgeryPage is not null)
            {
                return (null, forgeryPage(form));
            }

            var returnUrl = ReturnUrl.OrDefault(form[SessionDefaults.ReturnUrlParameter]);
            var page = NewPage(http, antiforgery, http.Request.Path == SignUpPath, returnUrl) with
            {
                Error = "This form has expired or was not sent by this page. Please try again.",
            };
            return (null, Page(http, page, StatusCodes.Status400BadRequest));
        }

        return (form, null);
    }

    private static async Task SignInAsync(HttpContext http, User user, TimeProvider time, LoginSessionStore sessions)
    {
        // A new session id and a new ticket at every login, so the cookie value changes (SES-1).
        var sessionId = Base64Url(RandomNumberGenerator.GetBytes(18));
        var identity = new ClaimsIdentity(
            [new Claim("sub", user.UserId), new Claim(SessionDefaults.SessionIdClaim, sessionId)],
            SessionDefaults.AuthenticationScheme, "sub", "role");
        var properties = new AuthenticationProperties { IssuedUtc = time.GetUtcNow(), IsPersistent = true, AllowRefresh = false };

        // End the session this browser had before and hide its cookie from the cookie handler: otherwise the handler
        // would "renew" the old session key with the new principal, and a cookie planted before login would then be
        // logged in as the victim (session fixation, SES-1). The new session gets a new key, hence a new cookie.
        await sessions.EndRequestSessionAsync(http);
        await http.SignInAsync(SessionDefaults.AuthenticationScheme, new ClaimsPrincipal(identity), properties);
    }

    /// <summary>Auth0's <c>disable_signup</c> on the database connection turns self-service sign-up off.</summary>
    private static async Task<bool> SignUpAllowedAsync(TenantCache tenants, CancellationToken cancellationToken) =>
        !(await tenants.GetAsync(cancellationToken)).Connection.DisableSignup;

    /// <summary>403, as Auth0 refuses a sign-up on a connection with <c>disable_signup</c> ("public signup is disabled").</summary>
    private static IResult SignUpDisabled(HttpContext http) =>
        Message(http, StatusCodes.Status403Forbidden, "Sign-up is turned off", "New accounts cannot be created here. Ask the administrator of this application for an account.");

    private static LoginPage NewPage(HttpContext http, IAntiforgery antiforgery, bool isSignUp, string returnUrl)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return new LoginPage(isSignUp, returnUrl, tokens.FormFieldName, tokens.RequestToken!);
    }

    private static IResult Page(HttpContext http, LoginPage page, int status)
    {
        ApplyPageHeaders(http.Response);
        return Results.Text(LoginHtml.Render(page), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    /// <summary>The login pages' answer past <c>Latchkey:RateLimits:LoginPages</c> (status and <c>Retry-After</c> are set by the policy).</summary>
    internal static Task WriteRateLimitedAsync(HttpContext http) =>
        Message(http, StatusCodes.Status429TooManyRequests, "Too many requests", "Too many requests from your network. Wait a moment and try again.").ExecuteAsync(http);

    private static IResult Message(HttpContext http, int status, string title, string message)
    {
        ApplyPageHeaders(http.Response);
        return Results.Text(LoginHtml.Message(title, message, SessionDefaults.LoginPath, "Back to log in"), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    internal static IResult SeeOther(HttpContext http, string location)
    {
        // 303: the browser follows with GET and never re-sends the password (a 307 would).
        ApplyPageHeaders(http.Response);
        http.Response.Headers.Location = location;
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }

    /// <summary>
    /// Clickjacking, sniffing and caching protection. No <c>Cross-Origin-Opener-Policy: same-origin</c>: the SDKs'
    /// popup login reads <c>window.opener</c> through these pages.
    /// </summary>
    internal static void ApplyPageHeaders(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XFrameOptions = "DENY";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
    }

    private static async Task<string?> SignedInEmailAsync(HttpContext http, LatchkeyDbContext db)
    {
        var session = await http.AuthenticateAsync(SessionDefaults.AuthenticationScheme);
        var subject = session.Principal?.FindFirst("sub")?.Value;
        return subject is null ? null
            : await db.Set<User>().Where(u => u.UserId == subject).Select(u => u.Email).FirstOrDefaultAsync(http.RequestAborted);
    }

    /// <summary>What the pending <c>/authorize</c> request tells the page: the Application's name, login_hint, screen_hint, and the known client_id (for the tenant log).</summary>
    private static async Task<(string? ApplicationName, string? LoginHint, string? ScreenHint, string? ClientId)> AuthorizeHintsAsync(string returnUrl, TenantCache tenants, CancellationToken cancellationToken)
    {
        var query = returnUrl.IndexOf('?', StringComparison.Ordinal);
        if (query < 0 || !returnUrl.AsSpan(0, query).Equals("/authorize", StringComparison.Ordinal))
        {
            return (null, null, null, null);
        }

        var parameters = QueryHelpers.ParseQuery(returnUrl[query..]);
        string? Single(string name) => parameters.TryGetValue(name, out var v) && v.Count == 1 ? v[0] : null;
        var snapshot = await tenants.GetAsync(cancellationToken);
        var known = Single("client_id") is { } clientId && snapshot.Applications.TryGetValue(clientId, out var application) ? application : null;
        var loginHint = Single("login_hint") is { Length: <= EmailAddress.MaxLength } hint ? hint : null;
        return (known?.Name, loginHint, Single("screen_hint"), known?.ClientId);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
