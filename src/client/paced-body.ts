// Backpressure from the caller to the network: the stream's body is read one chunk at a time,
// and the next chunk only once the caller's `ready` says it can take more (a CLI waits for its
// stdout to drain). While nothing is read, the socket's buffers fill, and the server's `send`
// waits instead of the client's memory growing. Web streams only: it runs in browsers too.

export type ReadyCheck = () => Promise<void> | void;

/** The same answer, its body read only as fast as `ready` allows; `onReadyError` hears a throwing check. */
export function pacedResponse(response: Response, ready: ReadyCheck, onReadyError: (error: unknown) => void): Response {
  const body = response.body;
  if (!body) return response;
  const reader = body.getReader();
  const paced = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          await ready();
        } catch (err) {
          onReadyError(err);
          throw err;
        }
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    },
    // No read-ahead: `pull` runs only when the consumer asks for the next chunk.
    { highWaterMark: 0 },
  );
  return new Response(paced, { status: response.status, statusText: response.statusText, headers: response.headers });
}
