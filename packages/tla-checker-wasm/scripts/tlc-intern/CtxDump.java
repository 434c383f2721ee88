import java.io.*;
import java.lang.reflect.*;
import java.util.*;
import tla2sany.drivers.SANY;
import tla2sany.modanalyzer.SpecObj;
import tla2sany.semantic.*;

/** Parses a spec with SANY and prints its root context's size, its Hashtable capacity and TLC's variable order. */
public class CtxDump {
  public static void main(String[] a) throws Exception {
    SpecObj spec = new SpecObj(a[0], null);
    SANY.frontEndMain(spec, a[0], new PrintStream(new ByteArrayOutputStream()));
    ModuleNode root = spec.getRootModule();
    Context c = root.getContext();
    Field f = Context.class.getDeclaredField("table");
    f.setAccessible(true);
    Hashtable<?, ?> t = (Hashtable<?, ?>) f.get(c);
    Field tf = Hashtable.class.getDeclaredField("table");
    tf.setAccessible(true);
    Object[] arr = (Object[]) tf.get(t);
    StringBuilder vs = new StringBuilder();
    for (OpDeclNode v : root.getVariableDecls()) vs.append(v.getName()).append(' ');
    System.out.println("size " + t.size() + " capacity " + arr.length + " vars " + vs.toString().trim());
    List<String> keys = new ArrayList<>();
    for (Object k : t.keySet()) keys.add(k.toString());
    Collections.sort(keys);
    if (a.length > 1) System.out.println(String.join(" ", keys));
  }
}
