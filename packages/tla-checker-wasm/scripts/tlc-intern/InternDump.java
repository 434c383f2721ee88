import java.io.*;
import java.lang.reflect.*;
import java.util.*;
import util.*;

/** Runs TLC and, at exit, writes its intern table (token number, string) to $INTERN_DUMP. */
public class InternDump {
  public static void main(String[] a) throws Exception {
    Runtime.getRuntime().addShutdownHook(new Thread(InternDump::dump));
    tlc2.TLC.main(a);
  }
  static void dump() {
    try {
      Field f = InternTable.class.getDeclaredField("table");
      f.setAccessible(true);
      UniqueString[] t = (UniqueString[]) f.get(UniqueString.internTbl);
      List<UniqueString> l = new ArrayList<>();
      for (UniqueString u : t) if (u != null) l.add(u);
      l.sort(Comparator.comparingInt(UniqueString::getTok));
      try (PrintWriter w = new PrintWriter(new FileWriter(System.getenv("INTERN_DUMP")))) {
        for (UniqueString u : l) w.println(u.getTok() + "\t" + u.toString().replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t"));
      }
    } catch (Exception e) { e.printStackTrace(); }
  }
}
