using System.Net;
using System.Text.RegularExpressions;
using Latchkey.Server.Persistence;
using Latchkey.Server.Sessions;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Server.Tests.Login;

/// <summary>
/// One server for the class (tests run one after another): no test here makes more than a couple of failed attempts,
/// and every successful login resets the throttle, so they cannot block each other.
/// </summary>
public sealed partial class LoginPageTests(LoginServerFixture fixture) : IClassFixture<LoginServerFixture>
{
    private readonly LatchkeyTestServer _server = fixture.Server;

    [Fact]
    public async Task Login_RightPassword_SetsHttpOnlyLaxSessionCookieAndRedirects303()
    {
        using var client = _server.CreateClient(new CookieContainer());

        using var response = await LoginDriver.LogInAsync(client, LoginTenant.AliceEmail, LoginTenant.AlicePassword, "/some/local/path?x=1");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/some/local/path?x=1", response.Headers.Location!.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(SessionDefaults.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
        // Plain http (the test server): Secure follows the request, so it is absent here and present over https.
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Login_RightPassword_SessionCarriesSubSidAndIssuedUtc()
    {
        var cookies = new CookieContainer();
        using var client = _server.CreateClient(cookies);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var countBefore = await QueryAsync(db => db.Set<User>().Where(u => u.Email == LoginTenant.AliceEmail).Select(u => u.LoginsCount).SingleAsync());

        using var response = await LoginDriver.LogInAsync(client, LoginTenant.AliceEmail, LoginTenant.AlicePassword);

        var ticket = await AuthenticateAsync(cookies);
        var alice = await QueryAsync(db => db.Set<User>().SingleAsync(u => u.Email == LoginTenant.AliceEmail));
        Assert.Equal(alice.UserId, ticket.Principal!.FindFirst("sub")!.Value);
        Assert.True(ticket.Principal.FindFirst(SessionDefaults.SessionIdClaim)!.Value.Length >= 20);
        Assert.InRange(ticket.Properties!.IssuedUtc!.Value, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(countBefore + 1, alice.LoginsCount);
        Assert.InRange(alice.LastLogin!.Value, before, DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task Login_TwoLogins_SessionCookieValueChanges()
    {
        var cookies = new CookieContainer();
        using var client = _server.CreateClient(cookies);

        (await LoginDriver.LogInAsync(client, LoginTenant.AliceEmail, LoginTenant.AlicePassword)).Dispose();
        var first = SessionCookie(cookies);
        var firstSid = (await AuthenticateAsync(cookies)).Principal!.FindFirst("sid")!.Value;
        (await LoginDriver.LogInAsync(client, LoginTenant.AliceEmail, LoginTenant.AlicePassword)).Dispose();
        var second = SessionCookie(cookies);

        Assert.NotNull(first);
        Assert.NotEqual(first, second);
        Assert.NotEqual(firstSid, (await AuthenticateAsync(cookies)).Principal!.FindFirst("sid")!.Value);
    }

    [Fact]
    public async Task Login_SecondLogin_PreviousCookieNoLongerWorks()
    {
        var cookies = new CookieContainer();
        using var client = _server.CreateClient(cookies);
        (await LoginDriver.LogInAsync(client, LoginTenant.AliceEmail, LoginTenant.AlicePassword)).Dispose();
        var before = new CookieContainer();
        before.Add(_server.BaseAddress, new Cookie(SessionDefaults.CookieName, SessionCookie(cookies)));
        Assert.True((await AuthenticateAsync(before)).Succeeded);

        (await LoginDriver.LogInAsync(client, LoginTenant.AliceEmail, LoginTenant.AlicePassword)).Dispose();

        Assert.False((await AuthenticateAsync(before)).Succeeded);
        Assert.True((await AuthenticateAsync(cookies)).Succeeded);
    }

    [Fact]
    public async Task Login_SessionTicket_IsKeptServerSideNotInTheCookie()
    {
        var cookies = new CookieContainer();
        using var client = _server.CreateClient(cookies);
        (await LoginDriver.LogInAsync(client, LoginTenant.AliceEmail, LoginTenant.AlicePassword)).Dispose();
        var sid = (await AuthenticateAsync(cookies)).Principal!.FindFirst(SessionDefaults.SessionIdClaim)!.Value;

        var removed = await _server.Services.GetRequiredService<LoginSessionStore>().RemoveBySessionIdAsync(sid);

        Assert.Equal(1, removed);
        Assert.False((await AuthenticateAsync(cookies)).Succeeded);
    }

    [Fact]
    public async Task Login_UnknownEmailAndWrongPassword_GiveIdenticalResponses()
    {
        using var client = _server.CreateClient(new CookieContainer());

        using var wrongPassword = await LoginDriver.LogInAsync(client, LoginTenant.AliceEmail, "not-alices-password");
        using var unknownEmail = await LoginDriver.LogInAsync(client, "nobody@example.com", "not-alices-password");

        Assert.Equal(HttpStatusCode.BadRequest, wrongPassword.StatusCode);
        Assert.Equal(wrongPassword.StatusCode, unknownEmail.StatusCode);
        var wrongBody = WithoutTokens(await wrongPassword.Content.ReadAsStringAsync()).Replace(LoginTenant.AliceEmail, "EMAIL", StringComparison.Ordinal);
        var unknownBody = WithoutTokens(await unknownEmail.Content.ReadAsStringAsync()).Replace("nobody@example.com", "EMAIL", StringComparison.Ordinal);
        Assert.Equal(wrongBody, unknownBody);
        Assert.Contains("Wrong email or password.", wrongBody, StringComparison.Ordinal);
        Assert.Contains("role=\"alert\" aria-live=\"assertive\"", wrongBody, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongPassword.Headers.TryGetValues("Set-Cookie", out var set) ? set : [], c => c.StartsWith(SessionDefaults.CookieName, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Login_MissingAntiforgeryToken_Returns400WithoutSession()
    {
        using var client = _server.CreateClient(new CookieContainer());
        await LoginDriver.GetAntiforgeryTokenAsync(client, "/login");

        using var response = await LoginDriver.PostLoginAsync(client, null, LoginTenant.AliceEmail, LoginTenant.AlicePassword, "/");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var set) && set.Any(c => c.StartsWith(SessionDefaults.CookieName, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Login_TokenFromAnotherBrowser_Returns400()
    {
        using var attacker = _server.CreateClient(new CookieContainer());
        var attackerToken = await LoginDriver.GetAntiforgeryTokenAsync(attacker, "/login");
        using var victim = _server.CreateClient(new CookieContainer());
        await LoginDriver.GetAntiforgeryTokenAsync(victim, "/login");

        using var response = await LoginDriver.PostLoginAsync(victim, attackerToken, LoginTenant.AliceEmail, LoginTenant.AlicePassword, "/");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("expired", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_NoAntiforgeryCookie_Returns400()
    {
        using var other = _server.CreateClient(new CookieContainer());
        var token = await LoginDriver.GetAntiforgeryTokenAsync(other, "/login");
        using var bare = _server.CreateClient();

        using var response = await LoginDriver.PostLoginAsync(bare, token, LoginTenant.AliceEmail, LoginTenant.AlicePassword, "/");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Login_BlockedUser_RefusedWith403()
    {
        using var client = _server.CreateClient(new CookieContainer());

        using var response = await LoginDriver.LogInAsync(client, LoginTenant.BlockedEmail, LoginTenant.BlockedPassword);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("This account is blocked.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_JsonBody_Returns415()
    {
        using var client = _server.CreateClient(new CookieContainer());

        using var response = await client.PostAsync(new Uri("/login", UriKind.Relative), new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Login_HugePassword_RefusedWithoutError()
    {
        using var client = _server.CreateClient(new CookieContainer());

        using var response = await LoginDriver.LogInAsync(client, LoginTenant.AliceEmail, new string('x', 10_000));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Wrong email or password.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("//evil.test")]
    [InlineData("/\\evil.test")]
    [InlineData("/%09/evil.test")]
    [InlineData("/\t/evil.test")]
    [InlineData("https:evil.test")]
    [InlineData("https://evil.test/")]
    [InlineData("/%2F%2Fevil.test")]
    [InlineData("/%2f%5cevil.test")]
    [InlineData("/%252F%252Fevil.test")]
    [InlineData("\\\\evil.test")]
    [InlineData("/\r\n/evil.test")]
    [InlineData(" //evil.test")]
    [InlineData("javascript:alert(1)")]
    [InlineData("evil.test")]
    [InlineData("")]
    public async Task Login_UnsafeReturnUrl_FallsBackToLoginPage(string returnUrl)
    {
        using var client = _server.CreateClient(new CookieContainer());

        using var page = await client.GetAsync(new Uri("/login?returnUrl=" + Uri.EscapeDataString(returnUrl), UriKind.Relative));
        var html = await page.Content.ReadAsStringAsync();
        using var posted = await LoginDriver.PostLoginAsync(client, LoginDriver.ParseAntiforgeryToken(html), LoginTenant.AliceEmail, LoginTenant.AlicePassword, returnUrl);

        Assert.Equal("/login", LoginDriver.HiddenField(html, "returnUrl"));
        Assert.True(posted.StatusCode == HttpStatusCode.SeeOther, await posted.Content.ReadAsStringAsync());
        Assert.Equal("/login", posted.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Login_NulInReturnUrl_RefusedWithoutRedirect()
    {
        using var client = _server.CreateClient(new CookieContainer());
        var token = await LoginDriver.GetAntiforgeryTokenAsync(client, "/login");

        using var posted = await LoginDriver.PostLoginAsync(client, token, LoginTenant.AliceEmail, LoginTenant.AlicePassword, "/\u0000/evil.test");

        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.Null(posted.Headers.Location);
    }

    [Theory]
    [InlineData("/authorize?client_id=sample-spa&redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fcallback&scope=openid%20profile&state=a%2Fb")]
    [InlineData("/some/local/path")]
    [InlineData("/")]
    public async Task Login_LocalReturnUrl_IsKept(string returnUrl)
    {
        using var client = _server.CreateClient(new CookieContainer());

        using var response = await LoginDriver.LogInAsync(client, LoginTenant.AliceEmail, LoginTenant.AlicePassword, returnUrl);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal(returnUrl, response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task LoginPage_Headers_ForbidFramingSniffingCachingAndReferrer()
    {
        using var client = _server.CreateClient(new CookieContainer());

        foreach (var path in new[] { "/login", "/signup" })
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
            Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
            Assert.True(response.Headers.CacheControl!.NoStore);
            Assert.False(response.Headers.Contains("Cross-Origin-Opener-Policy"));
        }
    }

    [Fact]
    public async Task LoginPage_AuthorizeReturnUrl_ShowsApplicationNameAndLoginHint()
    {
        using var client = _server.CreateClient(new CookieContainer());
        var returnUrl = "/authorize?client_id=sample-spa&login_hint=alice%40example.com&response_type=code";

        var html = await client.GetStringAsync(new Uri("/login?returnUrl=" + Uri.EscapeDataString(returnUrl), UriKind.Relative));

        Assert.Contains("<title>Log in to Sample SPA · Latchkey</title>", html, StringComparison.Ordinal);
        Assert.Contains("<h1 id=\"title\">Log in to Sample SPA</h1>", html, StringComparison.Ordinal);
        Assert.Contains("value=\"alice@example.com\"", html, StringComparison.Ordinal);
        Assert.Equal(returnUrl, LoginDriver.HiddenField(html, "returnUrl"));
    }

    [Fact]
    public async Task LoginPage_UnknownClient_ShowsPlainTitle()
    {
        using var client = _server.CreateClient(new CookieContainer());

        var html = await client.GetStringAsync(new Uri("/login?returnUrl=" + Uri.EscapeDataString("/authorize?client_id=<script>"), UriKind.Relative));

        Assert.Contains("<h1 id=\"title\">Log in</h1>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoginPage_ScreenHintSignup_ShowsSignUpForm()
    {
        using var client = _server.CreateClient(new CookieContainer());

        var html = await client.GetStringAsync(new Uri("/login?returnUrl=" + Uri.EscapeDataString("/authorize?client_id=sample-spa&screen_hint=signup"), UriKind.Relative));

        Assert.Contains("<h1 id=\"title\">Sign up to Sample SPA</h1>", html, StringComparison.Ordinal);
        Assert.Contains("action=\"/signup\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoginPage_Markup_IsAccessible()
    {
        using var client = _server.CreateClient(new CookieContainer());

        var html = await client.GetStringAsync(new Uri("/login", UriKind.Relative));

        Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"email\">Email</label>", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"password\">Password</label>", html, StringComparison.Ordinal);
        Assert.Contains("autocomplete=\"username\"", html, StringComparison.Ordinal);
        Assert.Contains("autocomplete=\"current-password\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-live=\"assertive\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stylesheet_Requested_IsServedLocallyAsCss()
    {
        using var client = _server.CreateClient();

        using var response = await client.GetAsync(new Uri("/login/assets/login.css", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/css", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(":focus-visible", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    internal static string WithoutTokens(string html) => TokenValue().Replace(html, "value=\"TOKEN\"");

    private async Task<Microsoft.AspNetCore.Authentication.AuthenticateResult> AuthenticateAsync(CookieContainer cookies)
    {
        // Read the session the way /authorize does: through the cookie scheme, from a request carrying the cookie.
        await using var scope = _server.Services.CreateAsyncScope();
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Headers.Cookie = cookies.GetCookieHeader(_server.BaseAddress);
        return await Microsoft.AspNetCore.Authentication.AuthenticationHttpContextExtensions.AuthenticateAsync(context, SessionDefaults.AuthenticationScheme);
    }

    private string? SessionCookie(CookieContainer cookies) =>
        cookies.GetCookies(_server.BaseAddress)[SessionDefaults.CookieName]?.Value;

    private async Task<T> QueryAsync<T>(Func<LatchkeyDbContext, Task<T>> query)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>());
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"[^\"]*\"")]
    private static partial Regex TokenValue();
}
