using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Logs;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Management;
using Latchkey.Server.Tests.Protocol;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Latchkey.Server.Tests.Accounts;

/// <summary>Links that expire (on the server's clock), a server that cannot send mail, and a send that finally fails.</summary>
public sealed class MailDeliveryTests
{
    private const string Password = "delivery passphrase 9";

    [Fact]
    public async Task Links_PastTheirLifetime_Refused()
    {
        using var mail = new MailSink();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await LatchkeyTestServer.StartAsync(AdminTenant.Json, clock, ["--Latchkey:Issuer", ManagementTenant.Issuer, .. mail.Args]);
        var email = AccountFlows.NewEmail("expiry");
        using (var signedUp = await AccountFlows.SignUpAsync(server, email, Password))
        {
            Assert.Equal(HttpStatusCode.OK, signedUp.StatusCode);
        }

        using (var requested = await AccountFlows.ChangePasswordAsync(server, email))
        {
            Assert.Equal(HttpStatusCode.OK, requested.StatusCode);
        }

        var verify = MailSink.LinkPath(await mail.WaitForAsync(email, "Verify your email"));
        var reset = MailSink.LinkPath(await mail.WaitForAsync(email, "Reset your"));

        // The reset link lives a day (Latchkey:Email:PasswordResetLinkLifetime), the verification link five days.
        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        using var browser = server.CreateClient(new CookieContainer());
        using var expiredReset = await browser.GetAsync(reset.TrimStart('/'));
        Assert.Equal(HttpStatusCode.BadRequest, expiredReset.StatusCode);
        clock.Advance(TimeSpan.FromDays(4));
        using var expiredVerify = await browser.GetAsync(verify.TrimStart('/'));
        Assert.Equal(HttpStatusCode.BadRequest, expiredVerify.StatusCode);
        Assert.Contains("has expired", await expiredVerify.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ticket_TtlSecElapsed_Refused()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await LatchkeyTestServer.StartAsync(AdminTenant.Json, clock, ["--Latchkey:Issuer", ManagementTenant.Issuer]);
        var email = AccountFlows.NewEmail("ttl");
        using var signedUp = await AccountFlows.SignUpAsync(server, email, Password);
        var userId = "latchkey|" + (string)(await signedUp.ReadJsonObjectAsync())["_id"]!;
        using var created = await AccountFlows.ManageAsync(server, HttpMethod.Post, "api/v2/tickets/email-verification", $$"""{"user_id":"{{userId}}","ttl_sec":60}""", "create:user_tickets");
        var ticket = new Uri((string)(await created.ReadJsonObjectAsync())["ticket"]!);

        clock.Advance(TimeSpan.FromSeconds(61));
        using var followed = await server.CreateClient(new CookieContainer()).GetAsync(ticket.PathAndQuery.TrimStart('/'));

        Assert.Equal(HttpStatusCode.BadRequest, followed.StatusCode);
        Assert.False((bool)(await AccountFlows.GetUserAsync(server, userId))["email_verified"]!);
    }

    [Fact]
    public async Task ProductionWithoutSmtp_FlowsThatNeedMail_ClearErrorNot500()
    {
        await using var server = await LatchkeyTestServer.StartAsync(AdminTenant.Json, "--Latchkey:Issuer", ManagementTenant.Issuer, "--environment", "Production");
        var email = AccountFlows.NewEmail("prod");

        using var signedUp = await AccountFlows.SignUpAsync(server, email, Password);
        var user = await signedUp.ReadJsonObjectAsync();
        Assert.Equal(HttpStatusCode.OK, signedUp.StatusCode);

        using var change = await AccountFlows.ChangePasswordAsync(server, email);
        var body = await change.ReadJsonObjectAsync();
        Assert.Equal(HttpStatusCode.BadRequest, change.StatusCode);
        Assert.Equal("email_not_configured", (string?)body["code"]);
        Assert.Contains("Latchkey:Email:Smtp:Host", (string?)body["description"], StringComparison.Ordinal);

        using var job = await AccountFlows.ManageAsync(server, HttpMethod.Post, "api/v2/jobs/verification-email", $$"""{"user_id":"latchkey|{{(string)user["_id"]!}}"}""", "update:users");
        var problem = await job.ReadJsonObjectAsync();
        Assert.Equal(HttpStatusCode.BadRequest, job.StatusCode);
        Assert.Equal("email_provider_not_configured", (string?)problem["errorCode"]);

        // POST /users asking for the mail explicitly is refused before the user is written; by default it is skipped.
        var asked = AccountFlows.NewEmail("prod-asked");
        using var refused = await AccountFlows.ManageAsync(server, HttpMethod.Post, "api/v2/users",
            $$"""{"connection":"Username-Password-Authentication","email":"{{asked}}","password":"{{Password}}","verify_email":true}""", "create:users");
        var refusal = await refused.ReadJsonObjectAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("email_provider_not_configured", (string?)refusal["errorCode"]);
        using var none = await AccountFlows.ManageAsync(server, HttpMethod.Get, "api/v2/users-by-email?email=" + Uri.EscapeDataString(asked), null, "read:users");
        Assert.Empty((await none.Content.ReadFromJsonAsync<JsonArray>())!);
        using var created = await AccountFlows.ManageAsync(server, HttpMethod.Post, "api/v2/users",
            $$"""{"connection":"Username-Password-Authentication","email":"{{AccountFlows.NewEmail("prod-default")}}","password":"{{Password}}"}""", "create:users");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        using var browser = server.CreateClient(new CookieContainer());
        var token = await LoginDriver.GetAntiforgeryTokenAsync(browser, "/forgot-password");
        using var page = await browser.PostAsync("forgot-password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [LoginDriver.AntiforgeryFieldName] = token,
            ["email"] = email,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("no SMTP server is configured", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_SmtpServerDown_RetriedThenLoggedAsFn()
    {
        var deadPort = LatchkeyTestServer.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var server = await LatchkeyTestServer.StartAsync(AdminTenant.Json,
            "--Latchkey:Issuer", ManagementTenant.Issuer, "--Latchkey:Email:Smtp:Host", "127.0.0.1", "--Latchkey:Email:Smtp:Port", deadPort,
            "--Latchkey:Email:Smtp:UseTls", "false", "--Latchkey:Email:MaxAttempts", "2", "--Latchkey:Email:RetryDelay", "00:00:00.050");
        var email = AccountFlows.NewEmail("down");

        using var signedUp = await AccountFlows.SignUpAsync(server, email, Password);
        Assert.Equal(HttpStatusCode.OK, signedUp.StatusCode);

        var entry = await Eventually.PollAsync(
            async () =>
            {
                await using var scope = server.Services.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Set<LogEvent>().AsNoTracking()
                    .FirstOrDefaultAsync(e => e.Type == LogEventTypes.FailedSendingNotification && e.UserName == email);
            },
            found => found is not null,
            TimeSpan.FromSeconds(60));
        Assert.NotNull(entry);
        Assert.Contains("verify_email", entry.Description, StringComparison.Ordinal);
        Assert.Contains("after 2 attempts", entry.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("ticket=", entry.Description, StringComparison.Ordinal);
    }
}
