using System.Data.Common;
using System.Diagnostics;
using Latchkey.Server.Operations;
using Latchkey.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using NpgsqlTypes;

namespace Latchkey.Server.Logs;

/// <summary>
/// Appends a batch of <see cref="LogEvent"/> rows in one transaction without EF Core's change tracker: PostgreSQL's
/// binary <c>COPY</c>, SQLite's one prepared <c>INSERT</c> run per row. Hand-written because EF Core has no bulk insert
/// and the tracked <c>SaveChanges</c> cost 80 µs of CPU per row on SQLite and 42 µs on PostgreSQL: at 4,000 tokens/s
/// that was a tenth of this 2-core machine taken from the token endpoint (docs/performance.md, "Tenant log"). Table and
/// column names come from the EF Core model, so the schema stays defined in one place (<see cref="LogEventConfiguration"/>).
/// These commands bypass EF Core's interceptors, so the batch's duration is recorded here as one database command.
/// </summary>
internal static class LogEventInserter
{
    /// <summary>The columns in the order the rows are written; <c>Date</c> is stored through <see cref="LogEventConfiguration.StoredDate"/>.</summary>
    private static readonly string[] Properties =
    [
        nameof(LogEvent.LogId), nameof(LogEvent.Date), nameof(LogEvent.Type), nameof(LogEvent.Description),
        nameof(LogEvent.ClientId), nameof(LogEvent.ClientName), nameof(LogEvent.Ip), nameof(LogEvent.UserAgent),
        nameof(LogEvent.UserId), nameof(LogEvent.UserName), nameof(LogEvent.Details),
    ];

    public static async Task InsertAsync(LatchkeyDbContext db, IReadOnlyList<LogEvent> rows, LatchkeyMetrics metrics, CancellationToken cancellationToken)
    {
        var (table, columns) = Names(db.Model);
        var started = Stopwatch.GetTimestamp();
        var postgres = db.Database.IsNpgsql();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = db.Database.GetDbConnection();
            if (postgres)
            {
                await CopyAsync((NpgsqlConnection)connection, table, columns, rows, cancellationToken);
            }
            else
            {
                await InsertEachAsync(connection, table, columns, rows, cancellationToken);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
            if (metrics.DatabaseLatencyEnabled)
            {
                metrics.DatabaseCommand(postgres ? "postgresql" : "sqlite", Stopwatch.GetElapsedTime(started));
            }
        }
    }

    /// <summary>One <c>COPY … FROM STDIN (FORMAT BINARY)</c>: a single statement, so the batch is stored whole or not at all.</summary>
    private static async Task CopyAsync(NpgsqlConnection connection, string table, string[] columns, IReadOnlyList<LogEvent> rows, CancellationToken cancellationToken)
    {
        var sql = $"COPY {Quote(table)} ({string.Join(", ", columns.Select(Quote))}) FROM STDIN (FORMAT BINARY)";
        await using var import = await connection.BeginBinaryImportAsync(sql, cancellationToken);
        foreach (var row in rows)
        {
            await import.StartRowAsync(cancellationToken);
            await import.WriteAsync(row.LogId, NpgsqlDbType.Varchar, cancellationToken);
            await import.WriteAsync(LogEventConfiguration.StoredDate(row.Date), NpgsqlDbType.Bigint, cancellationToken);
            await import.WriteAsync(row.Type, NpgsqlDbType.Varchar, cancellationToken);
            await WriteAsync(import, row.Description, NpgsqlDbType.Varchar, cancellationToken);
            await WriteAsync(import, row.ClientId, NpgsqlDbType.Varchar, cancellationToken);
            await WriteAsync(import, row.ClientName, NpgsqlDbType.Varchar, cancellationToken);
            await WriteAsync(import, row.Ip, NpgsqlDbType.Varchar, cancellationToken);
            await WriteAsync(import, row.UserAgent, NpgsqlDbType.Varchar, cancellationToken);
            await WriteAsync(import, row.UserId, NpgsqlDbType.Varchar, cancellationToken);
            await WriteAsync(import, row.UserName, NpgsqlDbType.Varchar, cancellationToken);
            await WriteAsync(import, row.Details, NpgsqlDbType.Text, cancellationToken);
        }

        await import.CompleteAsync(cancellationToken);
    }

    private static Task WriteAsync(NpgsqlBinaryImporter import, string? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is null ? import.WriteNullAsync(cancellationToken) : import.WriteAsync(value, type, cancellationToken);

    /// <summary>One transaction, one statement prepared once and stepped per row: SQLite's fastest way to append.</summary>
    private static async Task InsertEachAsync(DbConnection connection, string table, string[] columns, IReadOnlyList<LogEvent> rows, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {Quote(table)} ({string.Join(", ", columns.Select(Quote))}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i))})";
        var parameters = new DbParameter[columns.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i] = command.CreateParameter();
            parameters[i].ParameterName = "$p" + i;
            command.Parameters.Add(parameters[i]);
        }

        foreach (var row in rows)
        {
            parameters[0].Value = row.LogId;
            parameters[1].Value = LogEventConfiguration.StoredDate(row.Date);
            parameters[2].Value = row.Type;
            parameters[3].Value = (object?)row.Description ?? DBNull.Value;
            parameters[4].Value = (object?)row.ClientId ?? DBNull.Value;
            parameters[5].Value = (object?)row.ClientName ?? DBNull.Value;
            parameters[6].Value = (object?)row.Ip ?? DBNull.Value;
            parameters[7].Value = (object?)row.UserAgent ?? DBNull.Value;
            parameters[8].Value = (object?)row.UserId ?? DBNull.Value;
            parameters[9].Value = (object?)row.UserName ?? DBNull.Value;
            parameters[10].Value = (object?)row.Details ?? DBNull.Value;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static (string Table, string[] Columns) Names(IModel model)
    {
        var entity = model.FindEntityType(typeof(LogEvent)) ?? throw new InvalidOperationException("LogEvent is not in the model.");
        var table = entity.GetTableName()!;
        var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
        return (table, Properties.Select(p => entity.FindProperty(p)!.GetColumnName(store)!).ToArray());
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
