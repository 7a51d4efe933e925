using System.Net;
using System.Net.Http.Json;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Protocol;
using Microsoft.AspNetCore.WebUtilities;

namespace Latchkey.Server.Tests.Accounts;

/// <summary><c>POST /api/v2/tickets/email-verification</c>, <c>/tickets/password-change</c> and <c>/jobs/verification-email</c>.</summary>
public sealed class TicketsApiTests(AccountServerFixture fixture) : IClassFixture<AccountServerFixture>
{
    private const string Password = "ticket passphrase 3";
    private readonly LatchkeyTestServer _server = fixture.Server;

    [Fact]
    public async Task EmailVerificationTicket_Followed_RedirectsToResultUrlWithAuth0QueryAndVerifies()
    {
        var (userId, email) = await NewUserAsync("ticket-verify");
        using var created = await AccountFlows.ManageAsync(_server, HttpMethod.Post, "api/v2/tickets/email-verification",
            $$"""{"user_id":"{{userId}}","result_url":"http://localhost:3000/verified","ttl_sec":3600,"includeEmailInRedirect":true}""", "create:user_tickets");
        var body = await created.ReadJsonObjectAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        var ticket = new Uri((string)body["ticket"]!);
        Assert.Equal("/u/email-verification", ticket.AbsolutePath);
        Assert.StartsWith(Management.ManagementTenant.Issuer, ticket.AbsoluteUri, StringComparison.Ordinal);

        using var followed = await _server.CreateClient(new CookieContainer()).GetAsync(ticket.PathAndQuery.TrimStart('/'));

        Assert.Equal(HttpStatusCode.SeeOther, followed.StatusCode);
        var location = followed.Headers.Location!;
        Assert.StartsWith("http://localhost:3000/verified?", location.AbsoluteUri, StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal("true", query["success"].ToString());
        Assert.Equal("success", query["code"].ToString());
        Assert.Equal(email, query["email"].ToString());
        Assert.True((bool)(await AccountFlows.GetUserAsync(_server, userId))["email_verified"]!);
    }

    [Fact]
    public async Task PasswordChangeTicket_ByEmailAndConnectionId_SetsPasswordAndMarksVerified()
    {
        var (userId, email) = await NewUserAsync("ticket-reset");
        using var connections = await AccountFlows.ManageAsync(_server, HttpMethod.Get, "api/v2/connections", null, "read:connections");
        var connectionId = (string)(await connections.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonArray>())![0]!["id"]!;

        using var created = await AccountFlows.ManageAsync(_server, HttpMethod.Post, "api/v2/tickets/password-change",
            $$"""{"email":"{{email}}","connection_id":"{{connectionId}}","mark_email_as_verified":true}""", "create:user_tickets");
        var body = await created.ReadJsonObjectAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, body.ToJsonString());

        using var reset = await AccountFlows.ResetAsync(_server.CreateClient(new CookieContainer()), new Uri((string)body["ticket"]!).PathAndQuery, "ticket passphrase 4");
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        var tokens = await AccountFlows.SignInAsync(_server, _server.CreateClient(new CookieContainer()), email, "ticket passphrase 4");
        Assert.Equal(userId, (string?)AccountFlows.IdToken(tokens)["sub"]);
        Assert.True((bool)(await AccountFlows.GetUserAsync(_server, userId))["email_verified"]!);
    }

    [Fact]
    public async Task PasswordChangeTicket_WithResultUrl_RedirectsThereAfterReset()
    {
        var (userId, _) = await NewUserAsync("ticket-result");
        using var created = await AccountFlows.ManageAsync(_server, HttpMethod.Post, "api/v2/tickets/password-change",
            $$"""{"user_id":"{{userId}}","result_url":"https://app.example.com/done","ttl_sec":600}""", "create:user_tickets");
        var ticket = new Uri((string)(await created.ReadJsonObjectAsync())["ticket"]!);

        using var reset = await AccountFlows.ResetAsync(_server.CreateClient(new CookieContainer()), ticket.PathAndQuery, "ticket passphrase 5");

        Assert.Equal(HttpStatusCode.SeeOther, reset.StatusCode);
        Assert.StartsWith("https://app.example.com/done?", reset.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
        Assert.False((bool)(await AccountFlows.GetUserAsync(_server, userId))["email_verified"]!);
    }

    [Theory]
    [InlineData("api/v2/tickets/email-verification", """{"user_id":"latchkey|000000000000000000000000"}""", HttpStatusCode.NotFound)]
    [InlineData("api/v2/tickets/password-change", """{"user_id":"latchkey|000000000000000000000000"}""", HttpStatusCode.NotFound)]
    [InlineData("api/v2/tickets/password-change", """{"result_url":"https://app.example.com/"}""", HttpStatusCode.BadRequest)]
    [InlineData("api/v2/tickets/email-verification", """{"user_id":"x","ttl_sec":-1}""", HttpStatusCode.BadRequest)]
    [InlineData("api/v2/tickets/email-verification", """{"user_id":"x","result_url":"javascript:alert(1)"}""", HttpStatusCode.BadRequest)]
    [InlineData("api/v2/jobs/verification-email", """{"user_id":"latchkey|000000000000000000000000"}""", HttpStatusCode.NotFound)]
    public async Task Tickets_BadRequest_Auth0ErrorAndNothingIssued(string path, string json, HttpStatusCode status)
    {
        using var response = await AccountFlows.ManageAsync(_server, HttpMethod.Post, path, json, "create:user_tickets update:users");
        var body = await response.ReadJsonObjectAsync();

        Assert.Equal(status, response.StatusCode);
        Assert.Equal((int)status, (int)body["statusCode"]!);
        Assert.NotNull(body["message"]);
    }

    [Fact]
    public async Task VerificationEmailJob_Posted_JobShapeAndMailLinkVerifies()
    {
        var (userId, email) = await NewUserAsync("job");
        var verifyMails = fixture.Mail.Messages.Count(m => m.To.Mailboxes.Any(b => b.Address == email));

        using var response = await AccountFlows.ManageAsync(_server, HttpMethod.Post, "api/v2/jobs/verification-email",
            $$"""{"user_id":"{{userId}}","client_id":"{{ProtocolTenant.SpaClient}}"}""", "update:users");
        var body = await response.ReadJsonObjectAsync();

        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        Assert.Equal("verification_email", (string?)body["type"]);
        Assert.Equal("pending", (string?)body["status"]);
        Assert.Matches("^job_[A-Za-z0-9]{16}$", (string)body["id"]!);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", (string)body["created_at"]!);
        var mails = await Eventually.PollAsync(
            () => Task.FromResult(fixture.Mail.Messages.Where(m => m.To.Mailboxes.Any(b => b.Address == email)).ToList()),
            list => list.Count > verifyMails,
            TimeSpan.FromSeconds(30));
        using var followed = await _server.CreateClient(new CookieContainer()).GetAsync(MailSink.LinkPath(mails[^1]).TrimStart('/'));
        Assert.Equal(HttpStatusCode.OK, followed.StatusCode);
        Assert.True((bool)(await AccountFlows.GetUserAsync(_server, userId))["email_verified"]!);

        // The job is stored with the user imports: GET /jobs/{id} finds it, done once the mail was queued.
        using var job = await AccountFlows.ManageAsync(_server, HttpMethod.Get, $"api/v2/jobs/{(string)body["id"]!}", null, "read:users");
        var stored = await job.ReadJsonObjectAsync();
        Assert.True(job.StatusCode == HttpStatusCode.OK, stored.ToJsonString());
        Assert.Equal("verification_email", (string?)stored["type"]);
        Assert.Equal("completed", (string?)stored["status"]);
    }

    private async Task<(string UserId, string Email)> NewUserAsync(string tag)
    {
        var email = AccountFlows.NewEmail(tag);
        using var response = await AccountFlows.SignUpAsync(_server, email, Password);
        var body = await response.ReadJsonObjectAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return ("latchkey|" + (string)body["_id"]!, email);
    }
}
