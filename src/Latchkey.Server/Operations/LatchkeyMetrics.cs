using System.Diagnostics.Metrics;

namespace Latchkey.Server.Operations;

/// <summary>
/// Latchkey's own instruments, on the meter <c>Latchkey</c>. Each is a counter or histogram with a few bounded tags
/// (no user or client ids: one time series per value would grow without limit). With no exporter configured nothing
/// listens and each call returns at once, so recording stays off the token endpoint's cost.
/// </summary>
public sealed class LatchkeyMetrics
{
    public const string MeterName = "Latchkey";

    private readonly Counter<long> _tokenRequests;
    private readonly Counter<long> _logins;
    private readonly Counter<long> _refreshTokenReuse;
    private readonly Counter<long> _managementRequests;
    private readonly Counter<long> _actionExecutions;
    private readonly Histogram<double> _actionDuration;
    private readonly Histogram<double> _databaseCommandDuration;
    private readonly Counter<long> _logEntriesDropped;

    public LatchkeyMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _tokenRequests = meter.CreateCounter<long>("latchkey.token.requests", "{request}", "Token endpoint requests by grant type and outcome (issued, or the OAuth error code).");
        _logins = meter.CreateCounter<long>("latchkey.logins", "{login}", "Password logins by outcome.");
        _refreshTokenReuse = meter.CreateCounter<long>("latchkey.refresh_token.reuse_detected", "{event}", "Rotated refresh tokens presented again outside the reuse interval (the family is revoked).");
        _managementRequests = meter.CreateCounter<long>("latchkey.management.requests", "{request}", "Management API (/api/v2) requests by method, route and status code.");
        _actionExecutions = meter.CreateCounter<long>("latchkey.action.executions", "{execution}", "Action executions by trigger and outcome.");
        _actionDuration = meter.CreateHistogram<double>("latchkey.action.duration", "s", "Action execution time by trigger.");
        _logEntriesDropped = meter.CreateCounter<long>("latchkey.logs.dropped", "{entry}", "Tenant log entries dropped: the write queue was full, or the database refused a batch.");
        _databaseCommandDuration = meter.CreateHistogram<double>("latchkey.db.command.duration", "s", "Database command latency by database system.");
    }

    public void TokenRequest(string grantType, string outcome) =>
        _tokenRequests.Add(1, new("grant_type", grantType), new("outcome", outcome));

    public void Login(string outcome) => _logins.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void RefreshTokenReuseDetected() => _refreshTokenReuse.Add(1);

    public void ManagementRequest(string method, string route, int statusCode) =>
        _managementRequests.Add(1, new("http.request.method", method), new("http.route", route), new("http.response.status_code", statusCode));

    /// <summary>For the Actions runtime (issue 10): one call per execution, with its wall-clock duration.</summary>
    public void ActionExecuted(string trigger, string outcome, TimeSpan duration)
    {
        _actionExecutions.Add(1, new("trigger", trigger), new("outcome", outcome));
        _actionDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("trigger", trigger));
    }

    /// <summary>Tenant log entries that were not stored (docs/logs.md, "Queue").</summary>
    public void LogEntriesDropped(long count) => _logEntriesDropped.Add(count);

    public bool DatabaseLatencyEnabled => _databaseCommandDuration.Enabled;

    public void DatabaseCommand(string system, TimeSpan duration) =>
        _databaseCommandDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("db.system", system));
}
