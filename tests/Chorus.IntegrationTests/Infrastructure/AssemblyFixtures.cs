// One throwaway PostgreSQL server for the whole run (the browser tests link PostgresServer.cs and start their own).
[assembly: AssemblyFixture(typeof(Chorus.IntegrationTests.Infrastructure.PostgresServer))]
