using System.Net;
using Latchkey.Server.Tests.Actions;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Accounts;

/// <summary>Actions' <c>event.user.email_verified</c> follows the verification link, like the ID token and the Management API.</summary>
public sealed class VerifiedInActionsTests
{
    [Fact]
    public async Task PostLoginAction_AfterVerificationLink_SeesEmailVerifiedTrue()
    {
        using var mail = new MailSink();
        await using var server = await LatchkeyTestServer.StartAsync(ActionTenant.Json(new ActionSpec("verified", """
            exports.onExecutePostLogin = async (event, api) => {
              api.idToken.setCustomClaim('https://example.com/verified', event.user.email_verified);
            };
            """)), mail.Args);
        var email = AccountFlows.NewEmail("action");
        const string Password = "action passphrase 8";
        using (var signedUp = await AccountFlows.SignUpAsync(server, email, Password))
        {
            Assert.Equal(HttpStatusCode.OK, signedUp.StatusCode);
        }

        var before = AccountFlows.IdToken(await AccountFlows.SignInAsync(server, server.CreateClient(new CookieContainer()), email, Password));
        using (var verified = await server.CreateClient(new CookieContainer()).GetAsync(MailSink.LinkPath(await mail.WaitForAsync(email, "Verify your email")).TrimStart('/')))
        {
            Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        }

        var after = AccountFlows.IdToken(await AccountFlows.SignInAsync(server, server.CreateClient(new CookieContainer()), email, Password));
        Assert.False((bool)before["https://example.com/verified"]!);
        Assert.True((bool)after["https://example.com/verified"]!);
    }
}
