using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Protocol;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Tests.Operations;

[Collection(MetricsCollection.Name)]
public sealed class MetricsTests
{
    private const string ScrapeToken = "scrape-secret-0123456789";

    [Fact]
    public async Task Prometheus_AfterGrants_CountsTokensByGrantAndOutcome()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ProtocolTenant.Json,
            "--Latchkey:Telemetry:Prometheus:Enabled", "true", "--Latchkey:Telemetry:Prometheus:ScrapeToken", ScrapeToken);
        using var client = server.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.ClientCredentialsAsync(ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret, ProtocolTenant.Api)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.ClientCredentialsAsync(ProtocolTenant.M2mClient, "wrong-secret-0123456789", ProtocolTenant.Api)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("api/v2/users/latchkey|0123")).StatusCode);

        var anonymous = await client.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        // The exporter may serve a scrape cached for a moment: poll until the counts appear.
        var text = await Eventually.PollAsync(() => ScrapeAsync(client), t => Value(t, "latchkey_token_requests_total", "outcome=\"invalid_client\"") == 1, TimeSpan.FromSeconds(10));

        Assert.Equal(3, Value(text, "latchkey_token_requests_total", "grant_type=\"client_credentials\"", "outcome=\"issued\""));
        Assert.Equal(1, Value(text, "latchkey_token_requests_total", "grant_type=\"client_credentials\"", "outcome=\"invalid_client\""));
        Assert.Equal(1, Value(text, "latchkey_management_requests_total", "http_request_method=\"GET\"", "http_route=\"/api/v2/users/{id}\"", "http_response_status_code=\"401\""));
        Assert.True(Value(text, "latchkey_db_command_duration_seconds_count", "db_system=\"sqlite\"") > 0, text);
    }

    [Fact]
    public async Task Start_PrometheusWithoutPortOrToken_RefusesWithTheSettingToAdd()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => LatchkeyTestServer.StartAsync(ProtocolTenant.Json, "--Latchkey:Telemetry:Prometheus:Enabled", "true"));

        Assert.Contains("Latchkey:Telemetry:Prometheus:ScrapeToken", error.Message, StringComparison.Ordinal);
    }

    private static async Task<string> ScrapeAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ScrapeToken);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The sample of <paramref name="metric"/> whose labels contain every one of <paramref name="labels"/>; 0 when absent.</summary>
    private static double Value(string exposition, string metric, params string[] labels)
    {
        var line = exposition.Split('\n').FirstOrDefault(l => l.StartsWith(metric + "{", StringComparison.Ordinal) && labels.All(l.Contains));
        return line is null ? 0 : double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
