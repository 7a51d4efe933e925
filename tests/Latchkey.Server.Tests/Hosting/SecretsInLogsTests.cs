using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Latchkey.Server.Logs;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Management;
using Latchkey.Server.Tests.Protocol;
using Latchkey.Server.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Latchkey.Server.Tests.Hosting;

/// <summary>
/// No bearer token, code, client secret or password reaches the log at any level: the server runs with every category
/// at Trace (OpenIddict's and EF Core's included), the whole protocol and the Management API are exercised, and the
/// captured log, and the stored tenant log (<c>GET /api/v2/logs</c>), are searched for each secret (security catalogue MG-11).
/// </summary>
public sealed class SecretsInLogsTests
{
    [Fact]
    [Trait("Rule", "MG-11")]
    public async Task EveryCategoryAtTrace_FullProtocolAndManagementRun_NoSecretInLog()
    {
        var log = new CapturedLog();
        await using var server = await LatchkeyTestServer.StartWithServicesAsync(
            AdminTenant.Json,
            services => services.AddSingleton<ILoggerProvider>(log),
            "--Latchkey:Issuer", ManagementTenant.Issuer,
            "--Logging:LogLevel:Default", "Trace",
            "--Logging:LogLevel:Microsoft", "Trace",
            "--Logging:LogLevel:Microsoft.AspNetCore", "Trace",
            "--Logging:LogLevel:Microsoft.EntityFrameworkCore", "Trace",
            "--Logging:LogLevel:OpenIddict", "Trace",
            "--Logging:LogLevel:OpenIddict.Server.OpenIddictServerDispatcher", "Trace",
            "--Logging:LogLevel:OpenIddict.Core", "Trace",
            "--Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics", "Trace",
            "--Logging:Console:LogLevel:Default", "None");
        var secrets = new List<string> { ProtocolTenant.M2mSecret, ProtocolTenant.WebSecret, ManagementTenant.AdminSecret, ProtocolTenant.UserPassword };
        using var client = server.CreateClient();

        // client_credentials three ways (form, Basic, JSON) and a wrong secret.
        secrets.Add(await AccessTokenAsync(await client.ClientCredentialsAsync(ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret, ProtocolTenant.Api)));
        using (var basic = new HttpRequestMessage(HttpMethod.Post, "oauth/token"))
        {
            basic.Headers.Authorization = TokenClient.Basic(ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret);
            basic.Content = new FormUrlEncodedContent([new("grant_type", "client_credentials"), new("audience", ProtocolTenant.Api)]);
            secrets.Add(await AccessTokenAsync(await client.SendAsync(basic)));
        }

        secrets.Add(await AccessTokenAsync(await client.PostJsonAsync("oauth/token",
            ("grant_type", "client_credentials"), ("client_id", ProtocolTenant.M2mClient), ("client_secret", ProtocolTenant.M2mSecret), ("audience", ProtocolTenant.Api))));
        const string wrongSecret = "wrong-secret-that-must-not-be-logged-0123";
        secrets.Add(wrongSecret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.ClientCredentialsAsync(ProtocolTenant.M2mClient, wrongSecret, ProtocolTenant.Api)).StatusCode);

        // A user signs in (password through the login form), redeems the code, refreshes, calls userinfo.
        using var browser = server.CreateClient(new CookieContainer());
        var flow = new CodeFlow();
        var code = await flow.GetCodeAsync(server, browser);
        secrets.Add(code);
        secrets.Add(flow.Verifier);
        var issued = await (await flow.RedeemAsync(browser, code)).ReadJsonObjectAsync();
        var accessToken = (string)issued["access_token"]!;
        var idToken = (string)issued["id_token"]!;
        var refreshToken = (string)issued["refresh_token"]!;
        secrets.AddRange([accessToken, idToken, refreshToken]);
        var refreshed = await (await CodeFlow.RefreshAsync(browser, flow.ClientId, refreshToken)).ReadJsonObjectAsync();
        var rotated = (string)refreshed["refresh_token"]!;
        secrets.AddRange([(string)refreshed["access_token"]!, rotated]);
        Assert.Equal(HttpStatusCode.BadRequest, (await CodeFlow.RefreshAsync(browser, flow.ClientId, refreshToken)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await flow.RedeemAsync(browser, code)).StatusCode);

        using (var userInfo = new HttpRequestMessage(HttpMethod.Get, "userinfo"))
        {
            userInfo.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(userInfo)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await browser.GetAsync("userinfo?access_token=" + Uri.EscapeDataString(accessToken))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.PostFormAsync("oauth/revoke", ("client_id", flow.ClientId), ("token", rotated))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("oidc/logout?id_token_hint=" + Uri.EscapeDataString(idToken) + "&post_logout_redirect_uri=" + Uri.EscapeDataString("http://localhost:3000/"))).StatusCode);

        // The Management API with a bearer token, and a password change (the new password must not be logged either).
        var adminToken = await ManagementTokens.ClientCredentialsAsync(server, ManagementTenant.AdminClient, ManagementTenant.AdminSecret);
        secrets.Add(adminToken);
        const string newPassword = "another passphrase never logged 7";
        secrets.Add(newPassword);
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var alice = await scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Set<User>().Where(u => u.Email == ProtocolTenant.UserEmail).Select(u => u.UserId).SingleAsync();
            using var patch = new HttpRequestMessage(HttpMethod.Patch, $"api/v2/users/{Uri.EscapeDataString(alice)}")
            {
                Content = new StringContent($$"""{"password":"{{newPassword}}"}""", Encoding.UTF8, "application/json"),
            };
            patch.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(patch)).StatusCode);
        }

        // The tenant log (GET /api/v2/logs) is searched too, once the password change has reached it.
        var tenantLog = await Eventually.PollAsync(() => TenantLogAsync(server), rows => rows.Any(r => r.StartsWith("scp ", StringComparison.Ordinal)), TimeSpan.FromSeconds(20));
        Assert.Contains(tenantLog, row => row.StartsWith("scp ", StringComparison.Ordinal));
        Assert.Contains(tenantLog, row => row.StartsWith("ferrt ", StringComparison.Ordinal));
        Assert.Contains(tenantLog, row => row.StartsWith("feccft ", StringComparison.Ordinal));
        var tenantLogLeaks = secrets
            .Select(secret => secret.Count(c => c == '.') == 2 ? secret[(secret.LastIndexOf('.') + 1)..] : secret)
            .SelectMany(needle => tenantLog.Where(row => row.Contains(needle, StringComparison.Ordinal)))
            .ToList();
        Assert.True(tenantLogLeaks.Count == 0, "in the tenant log: " + string.Join("\n\n", tenantLogLeaks));

        Assert.True(log.Entries.Count > 100, $"only {log.Entries.Count} log entries: is Trace really on?");
        Assert.Contains(log.Entries, entry => entry.StartsWith("Trace ", StringComparison.Ordinal));
        var leaks = secrets
            .Select(secret => (Secret: secret, Needle: secret.Count(c => c == '.') == 2 ? secret[(secret.LastIndexOf('.') + 1)..] : secret))
            .SelectMany(s => log.Entries.Where(entry => entry.Contains(s.Needle, StringComparison.Ordinal))
                .Select(entry => $"{s.Secret[..Math.Min(10, s.Secret.Length)]}… in: {entry[..Math.Min(entry.Length, 400)]}"))
            .ToList();

        // A JWT is also looked for by its signature alone, in case a log prints only part of it.
        Assert.True(leaks.Count == 0, string.Join("\n\n", leaks));
    }

    /// <summary>Every stored tenant log entry as one line: its type, then every member including details.</summary>
    private static async Task<List<string>> TenantLogAsync(LatchkeyTestServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var rows = await scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Set<LogEvent>().AsNoTracking().ToListAsync();
        return [.. rows.Select(e => string.Join(' ', e.Type, e.LogId, e.Description, e.ClientId, e.ClientName, e.Ip, e.UserAgent, e.UserId, e.UserName, e.Details))];
    }

    private static async Task<string> AccessTokenAsync(HttpResponseMessage response)
    {
        var body = await response.ReadJsonObjectAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return (string)body["access_token"]!;
    }
}
