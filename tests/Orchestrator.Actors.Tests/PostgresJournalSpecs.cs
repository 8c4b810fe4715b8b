using Orchestrator.Actors.Tests.Support;

namespace Orchestrator.Actors.Tests;

/// <summary>
/// The journal contract on a real PostgreSQL (ORCHESTRATOR_TEST_POSTGRES, from ops/postgres.sh), each spec in its own
/// schema. Without the variable every spec here fails with a message naming ops/postgres.sh.
/// </summary>
public sealed class PostgresJournalSpecs(ITestOutputHelper output) : JournalContractSpecs(PostgresBackend.FromEnvironment(), output);
