using System.Net;
using System.Net.Sockets;
using Latchkey.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Latchkey.Server.Tests.Protocol;

/// <summary>
/// Our reading of the specs, checked by someone else's: Microsoft's OpenID Connect handler (a strict relying party:
/// discovery, state, nonce, PKCE, ID-token signature against the JWKS, iss/aud/exp, at_hash, userinfo sub match) runs
/// in its own Kestrel host and logs a user in through Latchkey's login page with the code flow.
/// </summary>
public sealed class StandardRelyingPartyTests
{
    private const string ClientId = "aspnet-rp";
    private const string ClientSecret = "aspnet-rp-secret-0123456789-abcdefghijklm";

    [Fact]
    public async Task AspNetCoreOpenIdConnect_CodeFlowWithPkce_SignsTheUserIn()
    {
        var rpPort = FreePort();
        var rpBase = new Uri($"http://127.0.0.1:{rpPort}/");
        await using var server = await LatchkeyTestServer.StartAsync(Tenant(rpBase));
        await using var rp = await StartRelyingPartyAsync(rpBase, server.Issuer);
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies, UseCookies = true });

        // 1. The protected page challenges: a redirect to Latchkey's /authorize built from discovery.
        var challenge = await browser.GetAsync(new Uri(rpBase, "/protected"));
        Assert.Equal(HttpStatusCode.Found, challenge.StatusCode);
        var authorize = challenge.Headers.Location!;
        Assert.StartsWith(server.Issuer + "authorize?", authorize.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains("code_challenge_method=S256", authorize.Query, StringComparison.Ordinal);

        // 2. Login page, then back to the relying party's callback with a code.
        using var asClient = server.CreateClient(cookies);
        var callback = await LoginDriver.AuthorizeAsync(server, asClient, authorize.PathAndQuery, ProtocolTenant.UserEmail, ProtocolTenant.UserPassword);
        Assert.StartsWith(new Uri(rpBase, "/signin-oidc").AbsoluteUri, callback.AbsoluteUri, StringComparison.Ordinal);

        // 3. The handler redeems the code, validates the ID token and calls /userinfo, then signs its cookie in.
        var signedIn = await browser.GetAsync(callback);
        var detail = signedIn.StatusCode == HttpStatusCode.Found ? "" : await signedIn.Content.ReadAsStringAsync();
        Assert.True(signedIn.StatusCode == HttpStatusCode.Found, $"{(int)signedIn.StatusCode}: {detail}");
        Assert.Equal("/protected", signedIn.Headers.Location!.OriginalString);

        var page = await browser.GetAsync(new Uri(rpBase, "/protected"));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var text = await page.Content.ReadAsStringAsync();
        Assert.Contains("name=Alice", text, StringComparison.Ordinal);
        Assert.Contains("email=" + ProtocolTenant.UserEmail, text, StringComparison.Ordinal);
        Assert.Contains("sub=latchkey|", text, StringComparison.Ordinal);
        Assert.Contains("refresh_token=yes", text, StringComparison.Ordinal);
    }

    private static string Tenant(Uri rpBase) => ProtocolTenant.Json.Replace(
        "\"clients\": [",
        $$"""
        "clients": [
          {
            "client_id": "{{ClientId}}", "client_secret": "{{ClientSecret}}", "name": "ASP.NET relying party", "app_type": "regular_web",
            "callbacks": [ "{{rpBase}}signin-oidc" ], "allowed_logout_urls": [ "{{rpBase}}" ],
            "grant_types": [ "authorization_code", "refresh_token" ]
          },
        """,
        StringComparison.Ordinal);

    private static async Task<WebApplication> StartRelyingPartyAsync(Uri baseAddress, string authority)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(baseAddress.AbsoluteUri.TrimEnd('/'));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                options.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie()
            .AddOpenIdConnect(options =>
            {
                options.Authority = authority;
                options.RequireHttpsMetadata = false;
                options.ClientId = ClientId;
                options.ClientSecret = ClientSecret;
                options.ResponseType = "code";
                options.UsePkce = true;

                // Query mode keeps the login driver's redirect-following; the form_post mode is OpenIddict's own.
                options.ResponseMode = "query";
                options.Scope.Clear();
                foreach (var scope in new[] { "openid", "profile", "email", "offline_access" })
                {
                    options.Scope.Add(scope);
                }

                options.Resource = null;
                options.AdditionalAuthorizationParameters["audience"] = ProtocolTenant.Api;
                options.SaveTokens = true;
                options.GetClaimsFromUserInfoEndpoint = true;
                options.MapInboundClaims = false;
                options.TokenValidationParameters.NameClaimType = "name";

                // Plain http on loopback: the correlation and nonce cookies cannot be Secure here.
                options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.CorrelationCookie.SameSite = SameSiteMode.Lax;
                options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.NonceCookie.SameSite = SameSiteMode.Lax;
            });
        builder.Services.AddAuthorization();

        var app = builder.Build();
        app.UseAuthentication();
        app.MapGet("/protected", async (HttpContext http) =>
        {
            if (http.User.Identity?.IsAuthenticated != true)
            {
                return Results.Challenge(new AuthenticationProperties { RedirectUri = "/protected" });
            }

            var refreshToken = await http.GetTokenAsync("refresh_token");
            return Results.Text(
                $"name={http.User.FindFirst("name")?.Value}\nemail={http.User.FindFirst("email")?.Value}\n" +
                $"sub={http.User.FindFirst("sub")?.Value}\nrefresh_token={(string.IsNullOrEmpty(refreshToken) ? "no" : "yes")}\n");
        });
        await app.StartAsync();
        return app;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
