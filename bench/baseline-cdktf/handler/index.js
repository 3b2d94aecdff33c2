// The code every function of the baseline deploys: answers with the request path.
exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ path: (event && event.path) || null }) });
