using System.Net;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Protocol;

namespace Latchkey.Server.Tests.Accounts;

/// <summary>
/// <c>POST /api/v2/users</c> and the verification email, by Auth0's rule: <c>verify_email</c> decides when given;
/// absent, the mail goes out unless <c>email_verified</c> is true. Delivered over real SMTP; its link verifies the user.
/// </summary>
public sealed class CreateUserMailTests(AccountServerFixture fixture) : IClassFixture<AccountServerFixture>
{
    private const string Password = "created passphrase 5";
    private readonly LatchkeyTestServer _server = fixture.Server;

    [Fact]
    public async Task CreateUser_EmailNotVerified_VerificationMailSentAndItsLinkVerifies()
    {
        var (userId, email) = await CreateAsync("created-default", "");

        var mail = await fixture.Mail.WaitForAsync(email, "Verify your email");
        using var followed = await _server.CreateClient(new CookieContainer()).GetAsync(MailSink.LinkPath(mail).TrimStart('/'));

        Assert.Equal(HttpStatusCode.OK, followed.StatusCode);
        Assert.True((bool)(await AccountFlows.GetUserAsync(_server, userId))["email_verified"]!);
    }

    [Fact]
    public async Task CreateUser_VerifyEmailTrueOverridesEmailVerified_MailSent()
    {
        var (_, email) = await CreateAsync("created-forced", ""","email_verified":true,"verify_email":true""");

        Assert.NotNull(await fixture.Mail.WaitForAsync(email, "Verify your email"));
    }

    [Theory]
    [InlineData(""","email_verified":true""")]
    [InlineData(""","verify_email":false""")]
    [InlineData(""","email_verified":false,"verify_email":false""")]
    public async Task CreateUser_NoMailAskedFor_NoneSent(string members)
    {
        var (_, email) = await CreateAsync("created-quiet", members);

        // A mail asked for after this one is dequeued after it (one queue, first in first out); once it has arrived and
        // the sender has had two more seconds, a wrongly queued mail to this user would have arrived too.
        var (_, marker) = await CreateAsync("created-marker", "");
        await fixture.Mail.WaitForAsync(marker, "Verify your email");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(fixture.Mail.Messages, m => m.To.Mailboxes.Any(b => b.Address == email));
    }

    private async Task<(string UserId, string Email)> CreateAsync(string tag, string members)
    {
        var email = AccountFlows.NewEmail(tag);
        using var response = await AccountFlows.ManageAsync(_server, HttpMethod.Post, "api/v2/users",
            $$"""{"connection":"Username-Password-Authentication","email":"{{email}}","password":"{{Password}}"{{members}}}""", "create:users");
        var body = await response.ReadJsonObjectAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        return ((string)body["user_id"]!, email);
    }
}
