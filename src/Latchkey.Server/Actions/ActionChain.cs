using System.Diagnostics;
using System.Text.Json.Nodes;
using Latchkey.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Actions;

/// <summary>
/// Runs the Actions bound to a trigger in binding order under one wall-time limit for the whole chain
/// (<c>Latchkey:Actions:TimeLimit</c>). The chain stops at the first failure (the flow then fails closed) or after the
/// Action that called <c>api.access.deny</c>. Failures are logged with their reason; <c>console.*</c> output is kept in
/// <see cref="ActionDecisions.Logs"/> and logged at Debug, never written to the server's stdout by the script.
/// </summary>
internal sealed class ActionChain(ActionSandbox sandbox, IOptions<LatchkeyOptions> options, ILogger<ActionChain> logger)
{
    /// <param name="eventFor">The <c>event</c> for the next Action, given what the previous ones decided.</param>
    public ActionDecisions Run(string triggerId, IReadOnlyList<RunnableAction> actions, Func<RunnableAction, ActionDecisions, JsonObject> eventFor, CancellationToken cancellationToken)
    {
        var limits = options.Value.Actions;
        var decisions = new ActionDecisions();

        // Wall time is real time, not the injectable TimeProvider: it bounds CPU spent by scripts.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limits.TimeLimit);
        var started = Stopwatch.GetTimestamp();
        foreach (var action in actions)
        {
            decisions.Executed.Add(action.Name);
            var failure = sandbox.Run(action, triggerId, eventFor(action, decisions), decisions, limits, deadline.Token);
            if (failure is not null)
            {
                decisions.Failure = failure;
                logger.LogWarning("Action {Action} ({Trigger}) failed closed: {Kind}: {Detail}", failure.Action, triggerId, failure.Kind, failure.Detail);
                break;
            }

            if (decisions.DenyReason is not null)
            {
                break;
            }
        }

        if (logger.IsEnabled(LogLevel.Debug))
        {
            logger.LogDebug("Actions {Actions} ({Trigger}) ran in {Elapsed} ms; console: {Console}",
                decisions.Executed, triggerId, Stopwatch.GetElapsedTime(started).TotalMilliseconds, decisions.Logs);
        }

        return decisions;
    }
}
