package dev.rollout.activities.database;

import dev.rollout.activities.support.Heartbeat;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rows per table ({@code schema.table}) of every ordinary table pg_dump dumps: user schemas only,
 * not tables that belong to an extension. Exact {@code count(*)}, not the planner's estimate.
 */
final class RowCounts {

  private static final String TABLES = """
      select n.nspname, c.relname
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where c.relkind = 'r'
         and n.nspname not in ('pg_catalog', 'information_schema')
         and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'
         and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass
                          and d.objid = c.oid and d.deptype = 'e')
       order by 1, 2""";

  private RowCounts() {}

  static Map<String, Long> of(Connection connection, Heartbeat heartbeat) throws SQLException {
    List<String[]> tables = new ArrayList<>();
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(TABLES)) {
      while (rs.next()) tables.add(new String[] {rs.getString(1), rs.getString(2)});
    }
    Map<String, Long> counts = new TreeMap<>();
    for (String[] table : tables) {
      heartbeat.beat("counting rows of " + table[0] + "." + table[1]);
      try (Statement s = connection.createStatement();
          ResultSet rs = s.executeQuery("select count(*) from " + quote(table[0]) + "." + quote(table[1]))) {
        rs.next();
        counts.put(table[0] + "." + table[1], rs.getLong(1));
      }
    }
    return counts;
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
