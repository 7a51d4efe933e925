using System.Net;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Protocol;
using Latchkey.Server.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Server.Tests.Accounts;

/// <summary>Sign-up (the page and <c>/dbconnections/signup</c>) → a mail over real SMTP → the link → <c>email_verified: true</c>.</summary>
public sealed class EmailVerificationTests(AccountServerFixture fixture) : IClassFixture<AccountServerFixture>
{
    private const string Password = "a fresh passphrase 7";
    private readonly LatchkeyTestServer _server = fixture.Server;
    private readonly MailSink _mail = fixture.Mail;

    [Fact]
    public async Task SignUpPage_VerificationLink_NextIdTokenAndManagementApiSayVerified()
    {
        var email = AccountFlows.NewEmail("page");
        using var browser = _server.CreateClient(new CookieContainer());
        var authorize = new CodeFlow().AuthorizeUrl();
        var token = await LoginDriver.GetAntiforgeryTokenAsync(browser, "/signup?returnUrl=" + Uri.EscapeDataString(authorize));
        using var signedUp = await LoginDriver.PostSignUpAsync(browser, token, email, Password, authorize);
        Assert.Equal(HttpStatusCode.SeeOther, signedUp.StatusCode);

        var before = AccountFlows.IdToken(await AccountFlows.SignInAsync(_server, browser, email, Password));
        Assert.False((bool)before["email_verified"]!);

        var message = await _mail.WaitForAsync(email, "Verify your email");
        using var verified = await browser.GetAsync(MailSink.LinkPath(message).TrimStart('/'));
        var page = await verified.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        Assert.Contains("Your email was verified.", page, StringComparison.Ordinal);
        Assert.Contains("Back to SPA", page, StringComparison.Ordinal);
        Assert.StartsWith("default-src 'none'", verified.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        var after = AccountFlows.IdToken(await AccountFlows.SignInAsync(_server, _server.CreateClient(new CookieContainer()), email, Password));
        Assert.True((bool)after["email_verified"]!);
        var user = await AccountFlows.GetUserAsync(_server, (string)after["sub"]!);
        Assert.True((bool)user["email_verified"]!);
    }

    [Fact]
    public async Task DbConnectionsSignUp_AsAuth0JsSendsIt_Auth0AnswerAndLinkVerifies()
    {
        var email = AccountFlows.NewEmail("api");
        using var response = await AccountFlows.SignUpAsync(_server, email, Password,
            ""","given_name":"Ada","family_name":"Lovelace","name":"Ada Lovelace","nickname":"ada","picture":"https://example.com/ada.png","user_metadata":{"plan":"trial"}""");
        var body = await response.ReadJsonObjectAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        Assert.Matches("^[0-9a-f]{24}$", (string)body["_id"]!);
        Assert.False((bool)body["email_verified"]!);
        Assert.Equal(email, (string?)body["email"]);
        Assert.Equal("Ada", (string?)body["given_name"]);
        Assert.Equal("trial", (string?)body["user_metadata"]!["plan"]);

        var userId = "latchkey|" + (string)body["_id"]!;
        var stored = await AccountFlows.GetUserAsync(_server, userId);
        Assert.False((bool)stored["email_verified"]!);
        Assert.Equal("Ada Lovelace", (string?)stored["name"]);
        Assert.Equal("trial", (string?)stored["user_metadata"]!["plan"]);
        Assert.Equal(0, (int)stored["logins_count"]!);

        using var browser = _server.CreateClient(new CookieContainer());
        using var verified = await browser.GetAsync(MailSink.LinkPath(await _mail.WaitForAsync(email, "Verify your email")).TrimStart('/'));
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        Assert.True((bool)(await AccountFlows.GetUserAsync(_server, userId))["email_verified"]!);
        var idToken = AccountFlows.IdToken(await AccountFlows.SignInAsync(_server, browser, email, Password));
        Assert.True((bool)idToken["email_verified"]!);
    }

    [Fact]
    public async Task VerificationLink_SecondUse_RefusedWithoutChange()
    {
        var email = AccountFlows.NewEmail("twice");
        using (var response = await AccountFlows.SignUpAsync(_server, email, Password))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var link = MailSink.LinkPath(await _mail.WaitForAsync(email, "Verify your email"));
        using var browser = _server.CreateClient(new CookieContainer());
        using var first = await browser.GetAsync(link.TrimStart('/'));
        using var second = await browser.GetAsync(link.TrimStart('/'));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Contains("invalid, has expired or was already used", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerificationLink_TokenStoredOnlyAsHash()
    {
        var email = AccountFlows.NewEmail("hash");
        using (var response = await AccountFlows.SignUpAsync(_server, email, Password))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var link = MailSink.LinkPath(await _mail.WaitForAsync(email, "Verify your email"));
        var token = link[(link.IndexOf("ticket=", StringComparison.Ordinal) + 7)..].TrimEnd('#');
        await using var scope = _server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
        var userId = await db.Set<User>().Where(u => u.Email == email).Select(u => u.UserId).SingleAsync();
        var hashes = await db.Set<Server.Accounts.AccountTicket>().Where(t => t.UserId == userId).Select(t => t.TokenHash).ToListAsync();

        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token))), Assert.Single(hashes));
        Assert.DoesNotContain(token, hashes);
    }

    [Theory]
    [InlineData("short", "PasswordStrengthError", "invalid_password")]
    [InlineData("password123", "PasswordDictionaryError", "invalid_password")]
    public async Task DbConnectionsSignUp_WeakPassword_Auth0PasswordError(string password, string name, string code)
    {
        using var response = await AccountFlows.SignUpAsync(_server, AccountFlows.NewEmail("weak"), password);
        var body = await response.ReadJsonObjectAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(name, (string?)body["name"]);
        Assert.Equal(code, (string?)body["code"]);
        Assert.Equal(400, (int)body["statusCode"]!);
        Assert.False((bool)body["description"]!["verified"]!);
        Assert.NotNull(body["policy"]);
    }

    [Fact]
    public async Task DbConnectionsSignUp_ExistingEmail_InvalidSignup()
    {
        using var response = await AccountFlows.SignUpAsync(_server, ProtocolTenant.UserEmail, Password);
        var body = await response.ReadJsonObjectAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("BadRequestError", (string?)body["name"]);
        Assert.Equal("invalid_signup", (string?)body["code"]);
        Assert.Equal("Invalid sign up", (string?)body["description"]);
    }

    [Theory]
    [InlineData("""{"client_id":"nope","connection":"Username-Password-Authentication","email":"x@example.com","password":"a fine passphrase"}""", "invalid_client")]
    [InlineData("""{"client_id":"spa","connection":"other","email":"x@example.com","password":"a fine passphrase"}""", "invalid_connection")]
    [InlineData("""{"client_id":"spa","connection":"Username-Password-Authentication","password":"a fine passphrase"}""", "invalid_body")]
    [InlineData("""[1,2]""", "invalid_body")]
    public async Task DbConnectionsSignUp_BadRequest_Auth0ErrorShape(string json, string code)
    {
        using var client = _server.CreateClient();
        using var response = await client.PostAsync("dbconnections/signup", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        var body = await response.ReadJsonObjectAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, (string?)body["code"]);
        Assert.Equal(400, (int)body["statusCode"]!);
    }
}
