using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Latchkey.Server.Tests.Infrastructure;

/// <summary>
/// Records the SQL that EF Core sends to one database (by data source), from EF Core's diagnostic events, while it is
/// alive. Other tests' servers in the same process use other databases and are not counted.
/// </summary>
internal sealed class DatabaseCommands : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly string _dataSource;
    private readonly IDisposable _all;
    private readonly ConcurrentBag<IDisposable> _subscriptions = [];

    public DatabaseCommands(string dataSource)
    {
        _dataSource = dataSource;
        _all = DiagnosticListener.AllListeners.Subscribe(this);
    }

    public ConcurrentQueue<string> Texts { get; } = new();

    public void OnNext(DiagnosticListener value)
    {
        if (value.Name == DbLoggerCategory.Name)
        {
            _subscriptions.Add(value.Subscribe(this));
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key == RelationalEventId.CommandExecuting.Name && value.Value is CommandEventData data
            && data.Command.Connection?.DataSource == _dataSource)
        {
            Texts.Enqueue(data.Command.CommandText);
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        _all.Dispose();
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }
    }
}
