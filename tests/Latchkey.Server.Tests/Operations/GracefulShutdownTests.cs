using System.Net;
using System.Net.Sockets;
using Latchkey.Server.Logs;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Logs;
using Latchkey.Server.Tests.Persistence;
using Latchkey.Server.Tests.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Server.Tests.Operations;

/// <summary>
/// Graceful shutdown (issue 13): the host is stopped (what SIGTERM does) while token requests are in flight. Kestrel
/// stops accepting connections, the requests in flight finish with 200, and the tenant log entries of every request
/// answered, before the stop and during it, are in the database once the host has exited (the log writer drains its
/// queue after Kestrel has drained the requests, docs/architecture.md "Operations").
/// </summary>
public sealed class GracefulShutdownTests
{
    private const int Before = 3;
    private const int InFlight = 4;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Stop_WithTokenRequestsInFlight_AnswersThemAndStoresEveryLogEntry(string provider)
    {
        await using var database = provider == "postgres" ? await PostgresDatabase.CreateAsync() : null;
        var file = Path.Combine(Path.GetTempPath(), $"latchkey-shutdown-{Guid.NewGuid():N}.db");
        var connection = database?.ConnectionString ?? $"Data Source={file}";
        var gate = new RequestGate(InFlight);
        try
        {
            var server = await LatchkeyTestServer.StartWithServicesAsync(ProtocolTenant.Json, services => services.AddSingleton<IStartupFilter>(gate),
                "--ConnectionStrings:Latchkey", connection, "--shutdownTimeoutSeconds", "120");
            using var client = server.CreateClient();
            for (var i = 0; i < Before; i++)
            {
                using var answered = await client.ClientCredentialsAsync(ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret, ProtocolTenant.Api);
                Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
            }

            // Requests held at the front of the pipeline: accepted by Kestrel, not answered yet.
            var inFlight = Enumerable.Range(0, InFlight).Select(_ =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, "oauth/token")
                {
                    Content = new FormUrlEncodedContent(new Dictionary<string, string>
                    {
                        ["grant_type"] = "client_credentials",
                        ["client_id"] = ProtocolTenant.M2mClient,
                        ["client_secret"] = ProtocolTenant.M2mSecret,
                        ["audience"] = ProtocolTenant.Api,
                    }),
                };
                request.Headers.Add(RequestGate.Header, "hold");
                return client.SendAsync(request);
            }).ToList();
            await gate.AllEntered.WaitAsync(TimeSpan.FromMinutes(2));

            var stop = server.DisposeAsync().AsTask();

            // Kestrel closes its listener when the stop begins; only then are the held requests let go.
            await Eventually.PollAsync(() => RefusesConnectionsAsync(server.BaseAddress), refused => refused, TimeSpan.FromMinutes(2));
            Assert.False(stop.IsCompleted);
            gate.Release();

            foreach (var response in await Task.WhenAll(inFlight))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.NotNull((string?)(await response.ReadJsonObjectAsync())["access_token"]);
                response.Dispose();
            }

            await stop.WaitAsync(TimeSpan.FromMinutes(2));
            Assert.Equal(Before + InFlight, await TenantLogLifecycleTests.CountAsync(provider, connection, LogEventTypes.SuccessClientCredentialsExchange));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    private static async Task<bool> RefusesConnectionsAsync(Uri address)
    {
        using var socket = new TcpClient();
        try
        {
            await socket.ConnectAsync(address.Host, address.Port);
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    /// <summary>Holds requests that carry <see cref="Header"/> before the rest of the pipeline until <see cref="Release"/>.</summary>
    private sealed class RequestGate(int expected) : IStartupFilter
    {
        public const string Header = "X-Test-Hold";

        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _allEntered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _entered;

        public Task AllEntered => _allEntered.Task;

        public void Release() => _release.TrySetResult();

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (context.Request.Headers.ContainsKey(Header))
                {
                    if (Interlocked.Increment(ref _entered) == expected)
                    {
                        _allEntered.TrySetResult();
                    }

                    await _release.Task;
                }

                await nextMiddleware(context);
            });
            next(app);
        };
    }
}
