using System.Net;
using Latchkey.Server.Logs;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Protocol;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Server.Tests.Accounts;

/// <summary>
/// Password reset: <c>/dbconnections/change_password</c> and the login page's "Forgot password?" → a mail over real
/// SMTP → the link's page → the new password works, the old one and old refresh tokens do not, the link works once.
/// </summary>
public sealed class PasswordResetTests(AccountServerFixture fixture) : IClassFixture<AccountServerFixture>
{
    private const string OldPassword = "the old passphrase 1";
    private const string NewPassword = "the new passphrase 2";
    private const string Reset = "Reset your";
    private const string Auth0Answer = "We've just sent you an email to reset your password.";
    private readonly LatchkeyTestServer _server = fixture.Server;
    private readonly MailSink _mail = fixture.Mail;

    [Fact]
    [Trait("Rule", "RT-8")]
    public async Task ChangePassword_FollowLink_NewPasswordWorksOldFailsRefreshTokensDieLinkOnce()
    {
        var email = await SignUpAsync("reset");
        using var browser = _server.CreateClient(new CookieContainer());
        var tokens = await AccountFlows.SignInAsync(_server, browser, email, OldPassword);
        var refreshToken = (string)tokens["refresh_token"]!;

        using var requested = await AccountFlows.ChangePasswordAsync(_server, email);
        Assert.Equal(HttpStatusCode.OK, requested.StatusCode);
        Assert.Equal(Auth0Answer, await requested.Content.ReadAsStringAsync());

        var message = await _mail.WaitForAsync(email, Reset);
        var link = MailSink.LinkPath(message);
        using var reset = await AccountFlows.ResetAsync(_server.CreateClient(new CookieContainer()), link, NewPassword);
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Contains("Your password has been changed successfully.", await reset.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var refreshed = await CodeFlow.RefreshAsync(browser, ProtocolTenant.SpaClient, refreshToken);
        Assert.Equal(HttpStatusCode.BadRequest, refreshed.StatusCode);
        Assert.Equal("invalid_grant", (string?)(await refreshed.ReadJsonObjectAsync())["error"]);

        using var old = await LoginDriver.LogInAsync(_server.CreateClient(new CookieContainer()), email, OldPassword);
        Assert.Equal(HttpStatusCode.BadRequest, old.StatusCode);
        var fresh = AccountFlows.IdToken(await AccountFlows.SignInAsync(_server, _server.CreateClient(new CookieContainer()), email, NewPassword));
        Assert.True((bool)fresh["email_verified"]!, "following a mailed reset link proves the mailbox");

        using var again = await _server.CreateClient(new CookieContainer()).GetAsync(link.TrimStart('/'));
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        await AssertLoggedAsync(email, LogEventTypes.SuccessChangePassword);
        await AssertLoggedAsync(email, LogEventTypes.SuccessChangePasswordRequest);
    }

    [Fact]
    public async Task ChangePassword_UnknownEmail_SameAnswerAndNoMail()
    {
        var email = AccountFlows.NewEmail("nobody");

        using var response = await AccountFlows.ChangePasswordAsync(_server, email);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Auth0Answer, await response.Content.ReadAsStringAsync());
        var known = await SignUpAsync("known");
        using (var sent = await AccountFlows.ChangePasswordAsync(_server, known))
        {
            Assert.Equal(Auth0Answer, await sent.Content.ReadAsStringAsync());
        }

        await _mail.WaitForAsync(known, Reset);
        Assert.DoesNotContain(_mail.Messages, m => m.To.Mailboxes.Any(b => b.Address == email));
    }

    [Fact]
    public async Task ResetPage_WeakOrMismatchedPassword_RefusedAndLinkStillWorks()
    {
        var email = await SignUpAsync("weak");
        using (var requested = await AccountFlows.ChangePasswordAsync(_server, email))
        {
            Assert.Equal(HttpStatusCode.OK, requested.StatusCode);
        }

        var link = MailSink.LinkPath(await _mail.WaitForAsync(email, Reset));
        using var browser = _server.CreateClient(new CookieContainer());

        using var weak = await AccountFlows.ResetAsync(browser, link, "password123");
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.Contains("too common", await weak.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var mismatch = await AccountFlows.ResetAsync(browser, link, NewPassword, NewPassword + "x");
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);
        Assert.Contains("do not match", await mismatch.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var good = await AccountFlows.ResetAsync(browser, link, NewPassword);
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        await AssertLoggedAsync(email, LogEventTypes.FailedChangePassword);
    }

    [Fact]
    [Trait("Rule", "CSRF-1")]
    public async Task ResetPage_PostWithoutAntiforgery_Refused()
    {
        var email = await SignUpAsync("csrf");
        using (var requested = await AccountFlows.ChangePasswordAsync(_server, email))
        {
            Assert.Equal(HttpStatusCode.OK, requested.StatusCode);
        }

        var link = MailSink.LinkPath(await _mail.WaitForAsync(email, Reset));
        var ticket = link[(link.IndexOf("ticket=", StringComparison.Ordinal) + 7)..].TrimEnd('#');
        using var browser = _server.CreateClient(new CookieContainer());
        using var posted = await browser.PostAsync("u/reset-password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["ticket"] = ticket,
            ["password"] = NewPassword,
            ["confirm"] = NewPassword,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        using var old = await LoginDriver.LogInAsync(_server.CreateClient(new CookieContainer()), email, OldPassword);
        Assert.Equal(HttpStatusCode.SeeOther, old.StatusCode);
    }

    [Fact]
    public async Task ForgotPasswordPage_KnownAndUnknownEmail_SameAnswerMailOnlyForKnown()
    {
        var email = await SignUpAsync("forgot");
        var unknown = AccountFlows.NewEmail("forgot-unknown");
        using var browser = _server.CreateClient(new CookieContainer());
        using var login = await browser.GetAsync("login");
        Assert.Contains("href=\"/forgot-password?returnUrl=", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var known = await PostForgotAsync(browser, email);
        var other = await PostForgotAsync(browser, unknown);

        Assert.Equal(known.Replace(email, "X", StringComparison.Ordinal), other.Replace(unknown, "X", StringComparison.Ordinal));
        Assert.Contains("we have sent it a link", known, StringComparison.Ordinal);
        var link = MailSink.LinkPath(await _mail.WaitForAsync(email, Reset));
        using var reset = await AccountFlows.ResetAsync(browser, link, NewPassword);
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.DoesNotContain(_mail.Messages, m => m.To.Mailboxes.Any(b => b.Address == unknown));
    }

    [Fact]
    public async Task ChangePassword_TooManyForOneEmail_429InAuth0Shape()
    {
        var email = AccountFlows.NewEmail("flood");
        for (var i = 0; i < 5; i++)
        {
            using var allowed = await AccountFlows.ChangePasswordAsync(_server, email);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var refused = await AccountFlows.ChangePasswordAsync(_server, email);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("too_many_attempts", (string?)(await refused.ReadJsonObjectAsync())["error"]);
    }

    private async Task<string> PostForgotAsync(HttpClient browser, string email)
    {
        var token = await LoginDriver.GetAntiforgeryTokenAsync(browser, "/forgot-password");
        using var response = await browser.PostAsync("forgot-password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [LoginDriver.AntiforgeryFieldName] = token,
            ["email"] = email,
            ["returnUrl"] = "/",
        }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<string> SignUpAsync(string tag)
    {
        var email = AccountFlows.NewEmail(tag);
        using var response = await AccountFlows.SignUpAsync(_server, email, OldPassword);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return email;
    }

    private async Task AssertLoggedAsync(string email, string type)
    {
        var found = await Eventually.PollAsync(
            async () =>
            {
                await using var scope = _server.Services.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Set<LogEvent>().AnyAsync(e => e.Type == type && e.UserName == email);
            },
            found => found,
            TimeSpan.FromSeconds(30));
        Assert.True(found, $"no {type} entry for {email}");
    }
}
