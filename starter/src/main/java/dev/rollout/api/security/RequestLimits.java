package dev.rollout.api.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a body larger than the limit before reading it: by its Content-Length (413 at once),
 * or, for a body without one, as soon as more than the limit has arrived ({@link TooLarge}, which
 * the API answers with 413 too).
 */
public final class RequestLimits extends OncePerRequestFilter {
  private final long maxBody;

  public RequestLimits(long maxBody) {
    this.maxBody = maxBody;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long declared = request.getContentLengthLong();
    if (declared > maxBody) {
      response.setHeader("Connection", "close");
      Problems.write(response, 413, "too-large", "Request body too large",
          "the body has " + declared + " bytes; at most " + maxBody + " are accepted");
      return;
    }
    chain.doFilter(declared >= 0 ? request : new Limited(request, maxBody), response);
  }

  /** Thrown while reading a body that has grown past the limit. */
  public static final class TooLarge extends IOException {
    public TooLarge(long max) {
      super("the body is larger than " + max + " bytes");
    }
  }

  private static final class Limited extends HttpServletRequestWrapper {
    private final long max;
    private ServletInputStream in;

    Limited(HttpServletRequest request, long max) {
      super(request);
      this.max = max;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (in == null) in = new Counting(super.getInputStream(), max);
      return in;
    }
  }

  private static final class Counting extends ServletInputStream {
    private final ServletInputStream delegate;
    private final long max;
    private long read;

    Counting(ServletInputStream delegate, long max) {
      this.delegate = delegate;
      this.max = max;
    }

    @Override
    public int read() throws IOException {
      int b = delegate.read();
      if (b >= 0) count(1);
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = delegate.read(buf, off, len);
      if (n > 0) count(n);
      return n;
    }

    private void count(int n) throws TooLarge {
      read += n;
      if (read > max) throw new TooLarge(max);
    }

    @Override
    public boolean isFinished() {
      return delegate.isFinished();
    }

    @Override
    public boolean isReady() {
      return delegate.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      delegate.setReadListener(listener);
    }
  }
}
